import AccessModel
import ArgumentParser
import Foundation
import Governance
import SalesforceMetadata

/// `keyhole audit PROJECT [--user U] [--format text|json|sarif] [--fail-on error|warning|never]` — checks
/// what integration users can reach against the policy of keyhole.yaml and lists findings with stable
/// rule IDs (docs/rules.md), each with the source to change, the file and line, and the fix.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check what integration users can reach against the policy; list findings and their fixes.",
        discussion: """
            Audits every integration user (Salesforce Integration licence, an API-only integration profile, \
            or listed in policy.integrationUsers of keyhole.yaml); --user audits one user, whatever their \
            licence. Each finding has a rule ID (docs/rules.md), a severity, the user, object, field and \
            source, the metadata file and line where the change goes, and a one-line fix. policy.ignore \
            switches rules off.

            --format json prints {"findings": [...], "summary": {"error", "warning", "info"}}; --format \
            sarif prints SARIF 2.1.0 for code-scanning tools.

            Exit codes: 0 no findings at or above --fail-on (default error); 1 the input could not be used \
            (bad file, unknown user); 2 findings at or above --fail-on; 64 usage error.
            """)

    enum FailOn: String, ExpressibleByArgument, CaseIterable {
        case error, warning, never
        var threshold: FindingSeverity? {
            switch self {
            case .error: .error
            case .warning: .warning
            case .never: nil
            }
        }
    }

    @OptionGroup var options: ProjectOptions

    @Option(help: "Audit one user (username, case-insensitive) instead of every integration user.")
    var user: String?

    @Option(help: "text, json or sarif.")
    var format: OutputFormat = .text

    @Option(
        name: .customLong("fail-on"),
        help: "Exit 2 when findings at or above this severity exist: error, warning or never.")
    var failOn: FailOn = .error

    @Option(
        name: .customLong("as-of"),
        help: "Judge approval and assignment expiry as of this date (YYYY-MM-DD) instead of today.")
    var asOf: String?

    func validate() throws {
        guard [.text, .json, .sarif].contains(format) else {
            throw ValidationError("audit prints text, json or sarif, not \(format.rawValue)")
        }
        if let asOf, AuditRun.date(asOf) == nil {
            throw ValidationError("--as-of takes a date as YYYY-MM-DD, not '\(asOf)'")
        }
    }

    func run() throws {
        let project = try options.load()
        var report: AuditReport?
        try InputError.exitOnFailure {
            let now = asOf.flatMap(AuditRun.date) ?? Date()
            let result = try AuditRun.make(project: project, user: user, now: now)
            report = result
            Console.out(try AuditRendering.render(result, project: project, format: format, style: .terminal))
        }
        if let threshold = failOn.threshold, report?.hasFindings(atOrAbove: threshold) == true {
            throw ExitCode(2)
        }
    }
}

/// Runs the Governance audit on a loaded project: the evaluator, the policy and the source map.
enum AuditRun {
    /// Throws `InputError` for an unknown `--user`.
    static func make(project: Project, user: String?, now: Date) throws -> AuditReport {
        var username: String?
        if let user { username = try Lookup.user(user, in: project).username }
        let evaluator = AccessEvaluator(org: project.org, now: now)
        let audit = Audit(
            evaluator: evaluator, policy: project.policy, locator: FindingLocator(project: project), now: now)
        return audit.run(user: username)
    }

    static func date(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.date(from: text)
    }
}

extension FindingLocator {
    /// Answers from the project's source map and keyhole.yaml.
    init(project: Project) {
        let map = project.metadata.sourceMap
        var users: [String: MetadataLocation] = [:]
        for entry in project.keyholeFile?.users ?? [] {
            users[entry.user.username.lowercased()] = MetadataLocation(file: "keyhole.yaml", line: entry.line)
        }
        let userLines = users
        self.init(
            component: { key in
                map.location(of: key).map { MetadataLocation(file: $0.file, line: $0.line) }
            },
            entry: { component, entry, key in
                guard let kind = SourceMap.Entry(rawValue: entry.rawValue),
                    let found = map.entry(in: component, kind, key)
                else { return nil }
                return MetadataLocation(file: found.file, line: found.line)
            },
            user: { userLines[$0.lowercased()] },
            policyFile: project.keyholeFile == nil ? nil : "keyhole.yaml")
    }
}
