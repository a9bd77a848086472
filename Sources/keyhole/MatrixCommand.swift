import AccessModel
import ArgumentParser
import Foundation
import Governance
import SalesforceMetadata

/// `keyhole matrix PROJECT [--user U | --integrations] [--format csv|md|json|html] [--output FILE]` — the
/// data access matrix: every user × field the users can read, and every classified field they cannot,
/// with classification, tier, access, the sources granting it, and the policy status.
struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract:
            "The data access matrix: which user can read or edit which field, why, and what the policy says.",
        discussion: """
            One row per user × field of every object the user can read, plus every classified field the user \
            cannot read. Columns: user, object, field, classification, compliance, tier, access (none, read, \
            edit), granted_by (the sources that grant Read or Edit, `;`-separated), justification, \
            approved_by, status (ok, justified, approved, or the finding rule ID such as KH-TIER3-ACCESS). \
            Rows are ordered by user, object, field.

            Formats: csv (default; RFC 4180), md (a report section to paste: title, per-user summary, table), \
            json (`users` summaries and `rows`), html (one self-contained page with a sortable, filterable \
            table; the filter is kept in the URL hash, for example matrix.html#tier=3&status=finding).

            Exit codes: 0 ok (findings do not change it; use `keyhole audit`); 1 unknown user or unusable \
            input, or the output file cannot be written; 64 usage error.
            """)

    @OptionGroup var options: ProjectOptions

    @Option(help: "Only this user (username, case-insensitive).")
    var user: String?

    @Flag(
        help:
            "Only integration users (Salesforce Integration licence, API-only integration profile, or policy.integrationUsers)."
    )
    var integrations = false

    @Option(help: "csv (default), md, json or html.")
    var format: OutputFormat = .csv

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    func validate() throws {
        guard [.csv, .md, .json, .html].contains(format) else {
            throw ValidationError("matrix prints csv, md, json or html, not \(format.rawValue)")
        }
        if user != nil && integrations {
            throw ValidationError("give --user or --integrations, not both")
        }
    }

    func run() throws {
        let project = try options.load()
        try InputError.exitOnFailure {
            var bytes = try Self.outputBytes(
                project: project, user: user, integrations: integrations, format: format)
            if let output {
                do {
                    try bytes.withUnsafeMutableBytes { raw in
                        try Data(bytesNoCopy: raw.baseAddress!, count: raw.count, deallocator: .none)
                            .write(to: URL(fileURLWithPath: output))
                    }
                } catch {
                    throw InputError("could not write \(output): \(error.localizedDescription)")
                }
            } else {
                if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
                FileHandle.standardOutput.write(Data(bytes))
            }
        }
    }

    /// The matrix for a loaded project; throws `InputError` for an unknown user.
    static func matrix(project: Project, user: String?, integrations: Bool, now: Date = Date()) throws
        -> DataAccessMatrix
    {
        let filter: DataAccessMatrix.Filter
        if let user {
            filter = .user(try Lookup.user(user, in: project).username)
        } else {
            filter = integrations ? .integrations : .all
        }
        return DataAccessMatrix.build(org: project.org, policy: project.policy, filter: filter, now: now)
    }

    /// The command's output for a loaded project.
    static func output(
        project: Project, user: String? = nil, integrations: Bool = false, format: OutputFormat,
        now: Date = Date()
    ) throws -> String {
        String(
            decoding: try outputBytes(
                project: project, user: user, integrations: integrations, format: format, now: now),
            as: UTF8.self)
    }

    /// `output` as UTF-8 bytes (CSV and JSON are written as bytes: a matrix can have millions of rows).
    static func outputBytes(
        project: Project, user: String? = nil, integrations: Bool = false, format: OutputFormat,
        now: Date = Date()
    ) throws -> [UInt8] {
        let matrix = try matrix(project: project, user: user, integrations: integrations, now: now)
        let scope: MatrixRendering.Scope =
            user.map { _ in .user(matrix.summaries.first?.user ?? "") }
            ?? (integrations ? .integrations : .all)
        let rendering = MatrixRendering(matrix: matrix, project: project.root.lastPathComponent, scope: scope)
        switch format {
        case .md: return Array(rendering.markdown().utf8)
        case .json: return try rendering.jsonBytes()
        case .html: return Array(rendering.html().utf8)
        default: return rendering.csvBytes()
        }
    }
}
