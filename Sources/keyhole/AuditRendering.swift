import AccessModel
import Foundation
import Governance
import SalesforceMetadata

/// Text, JSON and SARIF for `keyhole audit`.
enum AuditRendering {
    /// Where the rules are documented, relative to the repository root; SARIF rules carry their help text
    /// inline (`help`), so code-scanning tools show it without a link.
    static let rulesDocument = "docs/rules.md"

    static func render(
        _ report: AuditReport, project: Project, format: OutputFormat, style: TextStyle = .plain
    )
        throws -> String
    {
        switch format {
        case .json: try Console.json(JSONReport(report))
        case .sarif: try Console.json(SARIFLog(report))
        default: text(report, project: project, style: style)
        }
    }

    // MARK: JSON

    /// The `audit` JSON contract: `findings` (rule, severity, user, object, field, source, message, fix,
    /// file, line — absent when unknown) and `summary` (error, warning, info). Keys are stable.
    struct JSONReport: Encodable {
        var findings: [Finding]
        var summary: AuditReport.Summary
        var users: [String]

        init(_ report: AuditReport) {
            findings = report.findings
            summary = report.summary
            users = report.users
        }
    }

    // MARK: Text

    static func severityText(_ severity: FindingSeverity, style: TextStyle) -> String {
        let padded = severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
        switch severity {
        case .error: return style.red(padded)
        case .warning: return style.yellow(padded)
        case .info: return style.dim(padded)
        }
    }

    static func target(_ finding: Finding) -> String {
        switch (finding.object, finding.field) {
        case (let object?, let field?): "\(object).\(field)"
        case (let object?, nil): object
        default: finding.source ?? ""
        }
    }

    static func text(_ report: AuditReport, project: Project, style: TextStyle) -> String {
        var lines: [String] = []
        let users = report.users.count
        lines.append(
            style.bold("Audit")
                + " — \(users) user\(users == 1 ? "" : "s") audited, \(report.findings.count) finding\(report.findings.count == 1 ? "" : "s")"
        )
        if report.users.isEmpty {
            lines.append("")
            lines.append(
                "No integration users: none is on the Salesforce Integration licence or an API-only integration profile, and keyhole.yaml lists none in policy.integrationUsers."
            )
        }
        var byUser: [String: [Finding]] = [:]
        for finding in report.findings { byUser[finding.user, default: []].append(finding) }
        for user in report.users {
            lines.append("")
            let findings = byUser[user] ?? []
            lines.append(style.bold(user) + (findings.isEmpty ? " — no findings" : ""))
            for finding in findings {
                lines.append(
                    "  \(severityText(finding.severity, style: style)) \(finding.rule.rawValue)  \(target(finding))"
                )
                lines.append("          \(finding.message)")
                if let location = finding.location { lines.append(style.dim("          at \(location)")) }
            }
        }
        let s = report.summary
        lines.append("")
        lines.append(
            style.bold("Summary:")
                + " \(s.error) error\(s.error == 1 ? "" : "s"), \(s.warning) warning\(s.warning == 1 ? "" : "s"), \(s.info) info"
        )
        if !report.findings.isEmpty {
            lines.append("")
            lines.append(style.bold("Fixes:"))
            for finding in report.findings {
                lines.append("  \(finding.rule.rawValue) \(finding.user) \(target(finding)): \(finding.fix)")
            }
        }
        return lines.joined(separator: "\n")
    }

    // MARK: SARIF 2.1.0

    struct Text: Encodable { var text: String }

    struct SARIFLog: Encodable {
        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]

        init(_ report: AuditReport) {
            let ids = FindingRuleID.allCases
            let rules = ids.map(Rule.init)
            let results = report.findings.map { finding in
                Result(finding, ruleIndex: ids.firstIndex(of: finding.rule)!)
            }
            runs = [
                Run(
                    tool: Tool(
                        driver: Driver(
                            name: "Keyhole",
                            version: Keyhole.configuration.version, rules: rules)),
                    results: results)
            ]
        }
    }

    struct Run: Encodable {
        var tool: Tool
        var results: [Result]
        var columnKind = "unicodeCodePoints"
    }

    struct Tool: Encodable { var driver: Driver }

    struct Driver: Encodable {
        var name: String
        var version: String
        var rules: [Rule]
    }

    struct Configuration: Encodable { var level: String }

    /// SARIF `multiformatMessageString`: the rule's help as plain text and Markdown.
    struct Help: Encodable {
        var text: String
        var markdown: String
    }

    struct Rule: Encodable {
        var id: String
        var name: String
        var shortDescription: Text
        var fullDescription: Text
        var help: Help
        var defaultConfiguration: Configuration

        init(_ id: FindingRuleID) {
            let doc = RuleCatalog.entry(id)
            self.id = id.rawValue
            name = doc.name
            shortDescription = Text(text: doc.summary)
            fullDescription = Text(text: doc.detail)
            help = Help(
                text: "\(doc.detail) See \(AuditRendering.rulesDocument)#\(id.rawValue.lowercased()).",
                markdown:
                    "\(doc.detail)\n\nSee [\(AuditRendering.rulesDocument)](\(AuditRendering.rulesDocument)#\(id.rawValue.lowercased()))."
            )
            defaultConfiguration = Configuration(level: AuditRendering.level(doc.severity))
        }
    }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Text
        var locations: [Location]?
        var properties: Properties

        init(_ finding: Finding, ruleIndex: Int) {
            ruleId = finding.rule.rawValue
            self.ruleIndex = ruleIndex
            level = AuditRendering.level(finding.severity)
            message = Text(text: "\(finding.message) Fix: \(finding.fix)")
            if let file = finding.file {
                locations = [
                    Location(
                        physicalLocation: PhysicalLocation(
                            artifactLocation: ArtifactLocation(uri: AuditRendering.uri(file)),
                            region: finding.line.map { Region(startLine: $0) }))
                ]
            }
            properties = Properties(
                user: finding.user, object: finding.object, field: finding.field, source: finding.source,
                fix: finding.fix)
        }
    }

    struct Location: Encodable { var physicalLocation: PhysicalLocation }
    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region?
    }
    struct ArtifactLocation: Encodable { var uri: String }
    struct Region: Encodable { var startLine: Int }
    struct Properties: Encodable {
        var user: String
        var object: String?
        var field: String?
        var source: String?
        var fix: String
    }

    static func level(_ severity: FindingSeverity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    /// A relative path as a URI reference: each segment percent-encoded (spaces in profile names).
    static func uri(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#[]@!$&'()*+,;=")
        return path.split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).addingPercentEncoding(withAllowedCharacters: allowed) ?? String($0)
        }.joined(separator: "/")
    }
}
