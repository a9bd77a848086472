import AccessModel
import ArgumentParser
import Foundation
import Governance
import SalesforceMetadata

/// `keyhole diff BEFORE AFTER` or `keyhole diff PROJECT --base REV`: every change in what users reach
/// between two versions of a project, judged by the policy.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "List every change in what users can reach between two versions of a project.",
        discussion: """
            Compares BEFORE and AFTER (two project folders), or, with --base REV, the project as it was at \
            git revision REV with the working tree (the revision is read with `git archive` into a \
            temporary folder, which is removed afterwards). Every user × object, field (with classification \
            and policy tier), record-visibility and system-permission change is listed; users present on \
            one side only are compared with no access. The policy is the AFTER project's keyhole.yaml.

            JSON: {"changes": [{"user", "kind": "object|field|records|systemPermission", "object", \
            "field"?, "permission"?, "before", "after", "classification"?, "compliance"?, "tier"?, \
            "widening", "narrowing", "integrationUser", "records"?}], "refusedAssignments": [...], \
            "summary": {"changes", "users", "widening", "narrowing", "integrationWidening", "byKind"}}.

            Exit codes: 0 ok; 1 a project could not be used, unknown user or git revision; 2 with \
            --fail-on-widening, an integration user gains tier-2 or tier-3 access; 64 usage error.
            """)

    @Argument(help: "The project before (or, with --base, the project whose working tree is 'after').")
    var before: String

    @Argument(help: "The project after.")
    var after: String?

    @Option(help: "Compare the project at this git revision (branch, tag, commit) with the working tree.")
    var base: String?

    @Option(help: "Only this user's changes (case-insensitive).")
    var user: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Flag(help: "Exit 2 when an integration user gains tier-2 or tier-3 access.")
    var failOnWidening = false

    @Flag(help: "Leave record visibility out (faster on large orgs).")
    var noRecords = false

    @Flag(help: "Read every metadata file below each folder, whatever sfdx-project.json or package.xml say.")
    var scan = false

    func validate() throws {
        guard [.text, .json].contains(format) else {
            throw ValidationError("diff prints text or json, not \(format.rawValue)")
        }
        switch (after, base) {
        case (nil, nil):
            throw ValidationError("give two projects (diff BEFORE AFTER) or one and --base REV")
        case (.some, .some):
            throw ValidationError("give either two projects or one project and --base REV, not both")
        default: break
        }
    }

    func run() throws {
        var failed = false
        try InputError.exitOnFailure {
            let (text, widening) = try Self.output(
                before: before, after: after, base: base, user: user, format: format, records: !noRecords,
                scan: scan, style: .terminal)
            Console.out(text)
            failed = failOnWidening && widening
        }
        if failed {
            Console.error("an integration user gains tier-2/3 access (--fail-on-widening)")
            throw ExitCode(2)
        }
    }

    /// The command's output and whether an integration user gains tier-2/3 access. Throws `InputError`
    /// (exit 1) for unusable projects, unknown users and git failures.
    static func output(
        before: String, after: String?, base: String?, user: String? = nil, format: OutputFormat,
        records: Bool = true, scan: Bool = false, style: TextStyle = .plain
    ) throws -> (text: String, integrationWidening: Bool) {
        if let base {
            let checkout = try GitCheckout.archive(project: before, revision: base)
            defer { checkout.remove() }
            let old = try load(checkout.project.path, label: "\(before) at \(base)", scan: scan)
            let new = try load(before, label: before, scan: scan)
            return try output(
                before: old, after: new, labels: ("\(base)", "working tree"), user: user, format: format,
                records: records, style: style)
        }
        let old = try load(before, label: before, scan: scan)
        let new = try load(after!, label: after!, scan: scan)
        return try output(
            before: old, after: new, labels: (before, after!), user: user, format: format, records: records,
            style: style)
    }

    static func output(
        before: Project, after: Project, labels: (String, String), user: String?, format: OutputFormat,
        records: Bool, style: TextStyle
    ) throws -> (text: String, integrationWidening: Bool) {
        var users: [String]?
        if let user {
            guard let found = after.org.user(named: user) ?? before.org.user(named: user) else {
                _ = try Lookup.user(user, in: after)
                return ("", false)
            }
            users = [found.username]
        }
        let diff = AccessDiff.compare(before: before.org, after: after.org, users: users, records: records)
            .judged(by: after.policy, before: before.org, after: after.org)
        let widening = !diff.integrationWidenings.isEmpty
        if format == .json { return (try Console.json(DiffReport(diff)), widening) }
        var lines = [style.bold("\(labels.0) → \(labels.1)"), ChangeText.summary(diff)]
        lines += ChangeText.byUser(diff, style: style)
        return (lines.joined(separator: "\n"), widening)
    }

    /// Loads a project; its errors make it unusable (exit 1).
    static func load(_ path: String, label: String, scan: Bool) throws -> Project {
        let project = Project.load(path: path, forceScan: scan)
        if !project.errors.isEmpty {
            Console.printDiagnostics(project.errors)
            throw InputError("\(project.errors.count) error(s) in \(label); nothing was compared")
        }
        return project
    }
}

/// A git revision of a project, extracted with `git archive` into a temporary folder.
struct GitCheckout {
    /// The temporary folder (removed by `remove()`).
    var folder: URL
    /// The project folder inside it.
    var project: URL

    /// Extracts the repository subtree holding `project` at `revision`. Throws `InputError` when the
    /// folder is not in a git repository, the revision is unknown or the project did not exist then.
    static func archive(project: String, revision: String) throws -> GitCheckout {
        let url = URL(fileURLWithPath: project).standardizedFileURL
        let top = try git(
            ["-C", url.path, "rev-parse", "--show-toplevel"], what: "find the git repository of \(project)"
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
        let prefix = try git(
            ["-C", url.path, "rev-parse", "--show-prefix"], what: "find \(project) in its repository"
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try git(
            ["-C", top, "rev-parse", "--verify", "--quiet", "\(revision)^{commit}"],
            what: "find revision '\(revision)'")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "keyhole-base-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let checkout = GitCheckout(
            folder: folder,
            project: prefix.isEmpty
                ? folder.appendingPathComponent("tree") : folder.appendingPathComponent("tree/" + prefix))
        do {
            let tar = folder.appendingPathComponent("base.tar").path
            var arguments = ["-C", top, "archive", "--format=tar", "-o", tar, revision]
            if !prefix.isEmpty { arguments += ["--", prefix] }
            _ = try git(arguments, what: "read \(project) at '\(revision)'")
            let tree = folder.appendingPathComponent("tree")
            try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
            _ = try run(
                "/usr/bin/env", ["tar", "-xf", tar, "-C", tree.path],
                what: "unpack \(project) at '\(revision)'")
            try? FileManager.default.removeItem(atPath: tar)
        } catch {
            checkout.remove()
            throw error
        }
        return checkout
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    static func git(_ arguments: [String], what: String) throws -> String {
        try run("/usr/bin/env", ["git"] + arguments, what: what)
    }

    /// Runs a tool and returns its stdout; a non-zero exit becomes an `InputError` with its stderr.
    static func run(_ tool: String, _ arguments: [String], what: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            throw InputError("could not \(what): \(error.localizedDescription)")
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors, as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines)
            throw InputError("could not \(what)" + (message.isEmpty ? "" : ": \(message)"))
        }
        return String(decoding: output, as: UTF8.self)
    }
}
