import AccessModel
import ArgumentParser
import Foundation
import SalesforceMetadata

/// `keyhole records PROJECT --user U --object O` — every record of the project's data the user can see (or
/// edit), with its level and why; `--why-not ID` explains one record.
struct RecordsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "List the records of an object a user can see or edit, with the level and the reason.",
        discussion: """
            Records come from the project's data folder (keyhole.yaml `data:`). --why-not ID (an Id or a \
            data-file reference id) explains one record: why it is hidden, or why it is visible. A user who \
            cannot read the object at all gets an empty list and the reason (exit 0).

            Exit codes: 0 ok; 1 unknown user, object or record; 64 usage error.
            """)

    enum Minimum: String, ExpressibleByArgument, CaseIterable {
        case read, edit
        var level: AccessLevel { self == .read ? .read : .edit }
    }

    @OptionGroup var options: ProjectOptions

    @Option(help: "The username (case-insensitive).")
    var user: String

    @Option(help: "The object (API name).")
    var object: String

    @Option(help: "read (records the user can see) or edit (records the user can edit).")
    var access: Minimum = .read

    @Option(help: "text, json or csv.")
    var format: OutputFormat = .text

    @Option(name: .customLong("why-not"), help: "Explain one record (Id or reference id) instead of listing.")
    var whyNot: String?

    func validate() throws {
        guard [.text, .json, .csv].contains(format) else {
            throw ValidationError("records prints text, json or csv, not \(format.rawValue)")
        }
    }

    func run() throws {
        let project = try options.load()
        try InputError.exitOnFailure {
            Console.out(
                try Self.output(
                    project: project, user: user, object: object, access: access, whyNot: whyNot,
                    format: format,
                    style: .terminal))
        }
    }

    /// The command's output for a loaded project; throws `InputError` for unknown names.
    static func output(
        project: Project, user: String, object: String, access: Minimum = .read, whyNot: String? = nil,
        format: OutputFormat, style: TextStyle = .plain
    ) throws -> String {
        if let whyNot {
            let explanation = try RecordExplanation.make(project: project, username: user, record: whyNot)
            let objectName = try Lookup.object(object, in: project.org)
            switch format {
            case .json: return try Console.json(explanation.entry)
            case .csv: return RecordsReport.csv([explanation.decision])
            default: return RecordsReport.whyNotText(explanation, asked: objectName, style: style)
            }
        }
        let report = try RecordsReport.make(project: project, username: user, object: object, minimum: access)
        switch format {
        case .json: return try Console.json(report)
        case .csv: return RecordsReport.csv(report.records.map(\.decision))
        default: return report.text(style: style)
        }
    }
}

/// The `records` JSON contract: `user`, `object`, `access` (the minimum asked), `records` (each with the
/// `RecordDecision` keys `id`, `referenceId`, `name`, `access`, `reasons`), and, when the user cannot read
/// the object, `objectReadable: false` with `objectReasons`.
struct RecordsReport: Encodable {
    var user: String
    var object: String
    var access: String
    var objectReadable: Bool
    var objectReasons: [Reason]?
    /// Records of the object in the project's data.
    var total: Int
    var records: [RecordEntry]

    static func make(project: Project, username: String, object name: String, minimum: RecordsCommand.Minimum)
        throws -> RecordsReport
    {
        let user = try Lookup.user(username, in: project)
        let object = try Lookup.object(name, in: project.org)
        let evaluator = AccessEvaluator(org: project.org)
        let access = evaluator.evaluate(user)
        let total = project.org.records.records(of: object).count
        var report = RecordsReport(
            user: user.username, object: object, access: minimum.rawValue, objectReadable: true,
            objectReasons: nil, total: total, records: [])
        guard access.objectAccess(object).contains(.read) else {
            report.objectReadable = false
            report.objectReasons = access.objectDecision(object, includeFields: false).reasons
            return report
        }
        guard total > 0 else { return report }
        let sharing = evaluator.sharingEvaluator(everyUserFirst: false)
        sharing.prepare(objects: [object])
        report.records = sharing.visibleRecords(
            object: object, username: user.username, minimum: minimum.level
        )
        .compactMap { sharing.decision(username: user.username, recordId: $0.recordId) }
        .map { RecordEntry(decision: $0, object: nil) }
        return report
    }

    func text(style: TextStyle) -> String {
        let verb = access == "edit" ? "edit" : "see"
        guard objectReadable else {
            var lines = [
                "\(style.bold(user)) cannot read \(object) at all, so no \(object) record is visible."
            ]
            lines.append("  why:")
            for reason in objectReasons ?? [] { lines.append("    - " + ReasonText.labelled(reason)) }
            return lines.joined(separator: "\n")
        }
        guard total > 0 else {
            return
                "\(style.bold(user)) can read \(object), but the project has no \(object) records (add them to the data folder named by keyhole.yaml `data:`)."
        }
        var lines = ["\(style.bold(user)) can \(verb) \(records.count) of \(total) \(object) records"]
        guard !records.isEmpty else { return lines.joined(separator: "\n") }
        var table = TextTable()
        table.add(["id", "reference", "name", "access", "why"])
        for entry in records {
            let d = entry.decision
            table.add([
                d.recordId, d.referenceId ?? "", d.name ?? "", d.level.description,
                ReasonText.record(d.reasons.filter { $0.level.map { $0 > .none } ?? false }),
            ])
        }
        lines += table.render(indent: 2) { column, row, padded in
            row == 0 ? style.dim(padded) : column == 3 ? style.green(padded) : padded
        }
        return lines.joined(separator: "\n")
    }

    /// `--why-not`: why one record is hidden, or that it is visible and why.
    static func whyNotText(_ explanation: RecordExplanation, asked object: String, style: TextStyle) -> String
    {
        let d = explanation.decision
        let reference = d.referenceId.map { "\($0), " } ?? ""
        let record = "\(explanation.object) \(d.name.map { "\($0) " } ?? "")(\(reference)\(d.recordId))"
        var lines: [String] = []
        if explanation.object != object {
            lines.append(
                "note: \(d.referenceId ?? d.recordId) is a \(explanation.object) record, not \(object).")
        }
        if d.isVisible {
            lines.append(
                "\(record) is \(style.green("visible")) to \(style.bold(explanation.user)) (access: \(d.level)):"
            )
        } else {
            lines.append(
                "\(record) is \(style.red("hidden")) from \(style.bold(explanation.user)) (access: none):")
        }
        lines += reasonLines(d.reasons, indent: 2)
        lines += explanation.objectLines(indent: 2)
        return lines.joined(separator: "\n")
    }

    /// `- message` per reason, with the source and the path it came by.
    static func reasonLines(_ reasons: [RecordReason], indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        return reasons.map { reason in
            let via = reason.via.map { " via \($0)" } ?? ""
            return "\(pad)- \(reason.message)  [\(reason.source)\(via)]"
        }
    }

    /// `id,referenceId,name,access,reasons` with the reason messages joined by `; `.
    static func csv(_ decisions: [RecordDecision]) -> String {
        var lines = [CSV.row(["id", "referenceId", "name", "access", "reasons"])]
        for d in decisions {
            lines.append(
                CSV.row([
                    d.recordId, d.referenceId ?? "", d.name ?? "", d.level.description,
                    d.reasons.map(\.message).joined(separator: "; "),
                ]))
        }
        return lines.joined(separator: "\n")
    }
}
