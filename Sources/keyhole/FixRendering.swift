import AccessModel
import Foundation
import Governance

/// The JSON contract of `fix` (stable keys):
///
/// `{"user", "changes": [{"kind", "source", "file", "object"?, "field"?, "detail"}], "before": {summary},
/// "after": {summary}, "access": [diff changes], "findingsBefore": {"error", "warning", "info"},
/// "findingsAfter": {...}, "otherUsers": [...], "files": [...], "plannedFiles": [...], "notes": [...],
/// "commands": [...],
/// "refused"?}` — `before`/`after` are the user's effective-access changes seen from each side: `access`
/// lists every change (as in `diff`), `before` and `after` the fields' levels.
struct FixReport: Encodable {
    struct Change: Encodable {
        /// `assign`, `setFLS`, `setObjectAccess`, `removeUserPermission`, `mute`, `createPermissionSet`,
        /// `createMutingPermissionSet`.
        var kind: String
        var source: String
        var file: String?
        var object: String?
        var field: String?
        var detail: String
    }

    var user: String
    var changes: [Change]
    /// Per changed target of the user (`Object.Field`, `Object`, permission): the level before and after.
    var before: [String: String]
    var after: [String: String]
    var access: [DiffReport.ChangeEntry]
    var findingsBefore: AuditReport.Summary
    var findingsAfter: AuditReport.Summary
    var otherUsers: [String]
    /// Paths written, relative to --output (empty with --dry-run).
    var files: [String]
    /// Paths the fix writes (or would write with --dry-run), relative to --output.
    var plannedFiles: [String]
    var notes: [String]
    var commands: [String]
    var refused: String?

    init(_ result: FixResult) {
        user = result.user
        var changes: [Change] = []
        for set in result.plan.newPermissionSets {
            let file = result.files.first {
                $0.path.hasSuffix("/" + set.name + ".permissionset-meta.xml")
                    || $0.path.hasSuffix("/" + set.name + ".permissionset")
            }?.path
            changes.append(
                Change(
                    kind: "createPermissionSet", source: PermissionSource.id(.permissionSet, set.name),
                    file: file, detail: FixRendering.creation(set)))
        }
        for (muting, group) in result.plan.newMutingPermissionSets(in: result.project.org) {
            let file = result.files.first {
                $0.path.hasSuffix("/" + muting + ".mutingpermissionset-meta.xml")
                    || $0.path.hasSuffix("/" + muting + ".mutingpermissionset")
            }?.path
            changes.append(
                Change(
                    kind: "createMutingPermissionSet",
                    source: PermissionSource.id(.permissionSetGroup, group),
                    file: file, detail: FixRendering.creation(muting: muting, group: group)))
        }
        for (change, file) in zip(result.plan.changes, result.changeFiles) {
            changes.append(FixReport.change(change, file: change.user == nil ? file : nil))
        }
        self.changes = changes
        let mine = result.diff.changes(for: result.user)
        before = Dictionary(mine.map { ($0.target, $0.before) }, uniquingKeysWith: { a, _ in a })
        after = Dictionary(mine.map { ($0.target, $0.after) }, uniquingKeysWith: { a, _ in a })
        access = result.diff.changes.map(DiffReport.ChangeEntry.init)
        findingsBefore = AuditReport.Summary(result.findingsBefore.findings)
        findingsAfter = AuditReport.Summary(result.findingsAfter.findings)
        otherUsers = result.otherUsers
        files = result.written
        plannedFiles = result.files.map(\.path)
        notes = result.plan.notes
        commands = result.commands
        refused = result.refusal
    }

    static func change(_ change: OrgChange, file: String?) -> Change {
        switch change {
        case .assign:
            return Change(kind: "assign", source: change.source, file: nil, detail: change.summary)
        case .setFLS(let source, let field, _):
            let split = FieldPath.split(field)
            return Change(
                kind: "setFLS", source: source, file: file, object: split?.object, field: split?.field,
                detail: change.summary)
        case .setObjectAccess(let source, let object, _):
            return Change(
                kind: "setObjectAccess", source: source, file: file, object: object, detail: change.summary)
        case .removeUserPermission(let source, _):
            return Change(kind: "removeUserPermission", source: source, file: file, detail: change.summary)
        case .mute(_, let field, _):
            let split = FieldPath.split(field)
            return Change(
                kind: "mute", source: change.source, file: file, object: split?.object, field: split?.field,
                detail: change.summary)
        default:
            return Change(kind: "other", source: change.source, file: file, detail: change.summary)
        }
    }
}

enum FixRendering {
    /// `create permission set X (licence-independent, LIC-7)` or `(licence: PSL, LIC-8)`.
    static func creation(_ set: PermissionSet) -> String {
        let license = set.license.map { "licence: \($0), LIC-8" } ?? "licence-independent, LIC-7"
        return "create permission set \(set.name) (\(license))"
    }

    static func creation(muting: String, group: String) -> String {
        "create muting permission set \(muting) for permissionSetGroup:\(group) (PSG-2)"
    }

    static func render(_ result: FixResult, format: OutputFormat, style: TextStyle) throws -> String {
        if format == .json { return try Console.json(FixReport(result)) }
        var lines: [String] = []
        lines.append(style.bold("Fix for \(result.user)"))
        let before = AuditReport.Summary(result.findingsBefore.findings)
        let after = AuditReport.Summary(result.findingsAfter.findings)
        lines.append(
            "findings: \(before.error) error, \(before.warning) warning before → \(after.error) error, \(after.warning) warning after"
        )
        lines.append("")
        lines.append(style.bold("Changes"))
        if result.plan.changes.isEmpty && result.plan.newPermissionSets.isEmpty {
            lines.append("  none: audit reports no error this plan could fix")
        }
        for set in result.plan.newPermissionSets {
            lines.append("  + \(creation(set))")
        }
        for (muting, group) in result.plan.newMutingPermissionSets(in: result.project.org) {
            lines.append("  + \(creation(muting: muting, group: group))")
        }
        for (change, file) in zip(result.plan.changes, result.changeFiles) {
            lines.append("  - \(change.summary)" + (file.map { style.dim("  (\($0))") } ?? ""))
        }
        let mine = result.diff.changes(for: result.user)
        lines.append("")
        lines.append(style.bold("Effective access of \(result.user)"))
        if mine.isEmpty { lines.append("  no change") }
        lines += ChangeText.lines(mine, indent: 2, style: style)
        if !result.otherUsers.isEmpty {
            lines.append("")
            lines.append(
                style.bold(
                    "Other users whose access changes (they share a patched profile or permission set)"))
            for user in result.otherUsers {
                lines.append("  \(user)")
                lines += ChangeText.lines(result.diff.changes(for: user), indent: 4, style: style)
            }
        }
        if !result.plan.notes.isEmpty {
            lines.append("")
            lines.append(style.bold("Notes"))
            for note in result.plan.notes { lines.append("  - \(note)") }
        }
        if let refusal = result.refusal {
            lines.append("")
            lines.append(style.red("Refused: \(refusal). Nothing was written."))
        } else if !result.written.isEmpty {
            lines.append("")
            lines.append(style.bold("Written"))
            for path in result.written { lines.append("  \(path)") }
        } else if !result.files.isEmpty {
            lines.append("")
            lines.append(style.bold("Would write (dry run)"))
            for file in result.files { lines.append("  \(file.path)") }
        }
        if result.refusal == nil, !result.commands.isEmpty {
            lines.append("")
            lines.append(style.bold("Then assign (assignments are data, not metadata)"))
            for command in result.commands { lines.append("  \(command)") }
        }
        return lines.joined(separator: "\n")
    }
}
