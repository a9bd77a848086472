import AccessModel
import Foundation
import Governance

/// The JSON contract of an access diff (`diff`, and `explain` with what-if options). Stable keys,
/// documented in the README:
///
/// `{"changes": [{"user", "kind": "object|field|records|systemPermission", "object", "field"?,
/// "permission"?, "before", "after", "classification"?, "compliance"?, "tier"?, "widening",
/// "narrowing", "integrationUser", "records"?}], "refusedAssignments": [...], "summary": {...}}`
struct DiffReport: Encodable {
    struct RecordEntry: Encodable {
        var id: String
        var referenceId: String?
        var before: String
        var after: String
    }

    struct ChangeEntry: Encodable {
        var user: String
        var kind: String
        var object: String?
        var field: String?
        var permission: String?
        var before: String
        var after: String
        /// `securityClassification` of the field (field changes).
        var classification: String?
        /// Compliance groups of the field, sorted (field changes).
        var compliance: [String]?
        var tier: Int?
        var widening: Bool
        var narrowing: Bool
        var integrationUser: Bool
        /// Records whose level changed (records changes).
        var records: [RecordEntry]?

        init(_ change: AccessChange) {
            user = change.user
            kind = change.kind.rawValue
            object = change.object
            field = change.field
            permission = change.permission
            before = change.before
            after = change.after
            classification = change.classification?.securityClassification
            let groups = change.classification?.complianceGroups.sorted() ?? []
            compliance = groups.isEmpty ? nil : groups
            tier = change.tier
            widening = change.isWidening
            narrowing = change.isNarrowing
            integrationUser = change.isIntegrationUser
            records =
                change.kind == .records
                ? change.records.map {
                    RecordEntry(
                        id: $0.recordId, referenceId: $0.referenceId, before: $0.before.description,
                        after: $0.after.description)
                } : nil
        }
    }

    struct RefusedEntry: Encodable {
        var user: String
        /// `permissionSet:NAME`, `permissionSetGroup:NAME`.
        var name: String
        var rule: String
        var message: String
    }

    struct Summary: Encodable {
        /// Number of changes, and of users with a change.
        var changes: Int
        var users: Int
        var widening: Int
        var narrowing: Int
        /// Widening changes giving an integration user tier-2 or tier-3 access.
        var integrationWidening: Int
        /// Changes per kind (`object`, `field`, `records`, `systemPermission`), kinds with none left out.
        var byKind: [String: Int]
    }

    var changes: [ChangeEntry]
    var refusedAssignments: [RefusedEntry]
    var summary: Summary

    init(_ diff: AccessDiff) {
        changes = diff.changes.map(ChangeEntry.init)
        refusedAssignments = diff.refusedAssignments.map {
            RefusedEntry(
                user: $0.user, name: $0.assignment.source, rule: $0.assignment.rule,
                message: $0.assignment.message)
        }
        var byKind: [String: Int] = [:]
        for change in diff.changes { byKind[change.kind.rawValue, default: 0] += 1 }
        summary = Summary(
            changes: diff.changes.count, users: diff.users.count,
            widening: diff.changes.filter(\.isWidening).count,
            narrowing: diff.changes.filter(\.isNarrowing).count,
            integrationWidening: diff.integrationWidenings.count, byKind: byKind)
    }
}

/// Text rendering of access changes, shared by `diff` and `explain`'s what-if options.
enum ChangeText {
    /// `+` widening, `-` narrowing, `±` both.
    static func marker(_ change: AccessChange) -> String {
        change.isWidening ? (change.isNarrowing ? "±" : "+") : "-"
    }

    /// `Restricted (GLBA, PII)`, or empty.
    static func classification(_ change: AccessChange) -> String {
        guard let classification = change.classification else { return "" }
        let groups = classification.complianceGroups.sorted()
        let parts = [
            classification.securityClassification,
            groups.isEmpty ? nil : "(\(groups.joined(separator: ", ")))",
        ]
        return parts.compactMap { $0 }.joined(separator: " ")
    }

    /// One table row per change: marker, kind, target, before → after, classification, tier.
    static func lines(_ changes: [AccessChange], indent: Int, style: TextStyle, recordLimit: Int = 5)
        -> [String]
    {
        var table = TextTable()
        for change in changes {
            // The tier where it says something: a classified field, or tier 2 and up.
            let classified = change.classification.map { !$0.isEmpty } ?? false
            let tier = change.tier.flatMap { classified || $0 >= 2 ? "tier \($0)" : nil } ?? ""
            table.add([
                marker(change), change.kind == .systemPermission ? "permission" : change.kind.rawValue,
                change.target, "\(change.before) → \(change.after)", classification(change), tier,
            ])
        }
        let rendered = table.render(indent: indent) { column, row, padded in
            let change = changes[row]
            if column == 0 { return change.isWidening ? style.red(padded) : style.green(padded) }
            if column == 5, change.isWidening, change.isIntegrationUser, (change.tier ?? 0) >= 2 {
                return style.red(padded)
            }
            return padded
        }
        var out: [String] = []
        let pad = String(repeating: " ", count: indent + 4)
        for (line, change) in zip(rendered, changes) {
            out.append(line)
            guard change.kind == .records, !change.records.isEmpty else { continue }
            let shown = change.records.prefix(recordLimit).map { record in
                "\(record.referenceId ?? record.recordId) \(record.before) → \(record.after)"
            }
            let more =
                change.records.count > recordLimit ? ", … (\(change.records.count - recordLimit) more)" : ""
            out.append(style.dim(pad + shown.joined(separator: ", ") + more))
        }
        return out
    }

    /// The one-line summary: `3 changes for 2 users: 2 widening, 1 narrowing; …`.
    static func summary(_ diff: AccessDiff) -> String {
        guard !diff.changes.isEmpty else { return "no change in what any user can reach" }
        let users = diff.users.count
        var text =
            "\(diff.changes.count) change\(diff.changes.count == 1 ? "" : "s") for \(users) user\(users == 1 ? "" : "s"): "
            + "\(diff.changes.filter(\.isWidening).count) widening, \(diff.changes.filter(\.isNarrowing).count) narrowing"
        let risky = diff.integrationWidenings.count
        if risky > 0 {
            text += "; \(risky) give\(risky == 1 ? "s" : "") an integration user tier-2/3 access"
        }
        return text
    }

    /// Every user's changes, grouped by user, with refused assignments.
    static func byUser(_ diff: AccessDiff, style: TextStyle, indent: Int = 0) -> [String] {
        var lines: [String] = []
        let pad = String(repeating: " ", count: indent)
        for user in diff.users {
            let changes = diff.changes(for: user)
            let integration = changes.first?.isIntegrationUser == true ? " (integration user)" : ""
            lines.append("")
            lines.append(pad + style.bold(user) + integration)
            lines += self.lines(changes, indent: indent + 2, style: style)
        }
        lines += refused(diff.refusedAssignments, style: style, indent: indent)
        return lines
    }

    static func refused(_ refused: [RefusedAssignment], style: TextStyle, indent: Int) -> [String] {
        guard !refused.isEmpty else { return [] }
        let pad = String(repeating: " ", count: indent)
        var lines = ["", pad + style.red("assignments Salesforce would refuse (not sources):")]
        for entry in refused {
            lines.append(
                "\(pad)  - \(entry.user): \(entry.assignment.source): \(entry.assignment.message) (\(entry.assignment.rule))"
            )
        }
        return lines
    }
}
