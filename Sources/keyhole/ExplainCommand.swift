import AccessModel
import ArgumentParser
import Foundation
import Governance
import SalesforceMetadata

/// `keyhole explain PROJECT --user U [--object O | --field O.F | --record ID]` — what one user can reach,
/// and why, from the evaluator's own reasons. With `--assign`, `--unassign`, `--mute` or `--set-fls`: what
/// would change if those changes were made (for this user, and for everyone sharing what changed).
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain what a user can reach — objects, fields, system permissions, records — and why.",
        discussion: """
            Without --object, --field or --record: every object the user can read (and every object where a \
            grant was capped, muted or refused), each field with read/edit and the reason, the system \
            permissions, and per object the number of visible and editable records when the project has \
            record data. --object narrows to one object (with its record counts), --field O.F to one field \
            with its whole reason tree (no record counts), \
            --record ID (an Id or a data-file reference id) explains the access to one record.

            What if: --assign permissionSet:NAME|permissionSetGroup:NAME, --unassign (the same), \
            --mute permissionSetGroup:G/Object.Field[=edit] and --set-fls profile:P/Object.Field=none|read|edit \
            (or permissionSet:S/…), each repeatable, evaluate the org as if the changes were made and list \
            every object, field (with classification and policy tier), record-visibility and system \
            permission change: first the user's, then other users' whose access changes because they share \
            the changed profile, permission set or group. --object and --field narrow the list.

            Exit codes: 0 ok; 1 unknown user, object, field or record; 64 usage error.
            """)

    @OptionGroup var options: ProjectOptions

    @Option(help: "The username to explain (case-insensitive).")
    var user: String

    @Option(help: "Narrow to one object (API name).")
    var object: String?

    @Option(help: "Narrow to one field, as Object.Field, with its whole reason tree.")
    var field: String?

    @Option(help: "Explain the access to one record: its Id or its data-file reference id.")
    var record: String?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    @Option(
        help: ArgumentHelp(
            "What if the user were assigned this: permissionSet:NAME or permissionSetGroup:NAME (repeatable).",
            valueName: "source"))
    var assign: [String] = []

    @Option(
        help: ArgumentHelp(
            "What if this assignment were removed: permissionSet:NAME or permissionSetGroup:NAME (repeatable).",
            valueName: "source"))
    var unassign: [String] = []

    @Option(
        help: ArgumentHelp(
            "What if the group muted this field: permissionSetGroup:G/Object.Field, =edit to mute edit only (repeatable).",
            valueName: "group/field"))
    var mute: [String] = []

    @Option(
        name: .customLong("set-fls"),
        help: ArgumentHelp(
            "What if this field permission were set: profile:P/Object.Field=none|read|edit or permissionSet:S/… (repeatable).",
            valueName: "source/field=access"))
    var setFLS: [String] = []

    /// The what-if changes, in the order they are applied: removals, assignments, muting, field permissions.
    func changes() throws(OrgChangeError) -> [OrgChange] {
        var changes: [OrgChange] = []
        for text in unassign { changes.append(try OrgChange.parseUnassign(text, user: user)) }
        for text in assign { changes.append(try OrgChange.parseAssign(text, user: user)) }
        for text in mute { changes.append(try OrgChange.parseMute(text)) }
        for text in setFLS { changes.append(try OrgChange.parseSetFLS(text)) }
        return changes
    }

    func validate() throws {
        guard [.text, .json].contains(format) else {
            throw ValidationError("explain prints text or json, not \(format.rawValue)")
        }
        if let field {
            guard let path = Lookup.fieldPath(field) else {
                throw ValidationError(
                    "--field takes Object.Field (for example Contact.SSN__c), not '\(field)'")
            }
            if let object, object.caseInsensitiveCompare(path.object) != .orderedSame {
                throw ValidationError(
                    "--object \(object) and --field \(field) name different objects; give one")
            }
        }
        if record != nil && (object != nil || field != nil) {
            throw ValidationError(
                "--record explains one record; it cannot be combined with --object or --field")
        }
        do {
            let changes = try changes()
            if !changes.isEmpty && record != nil {
                throw ValidationError(
                    "--record explains one record as it is; it cannot be combined with what-if options")
            }
        } catch let error as OrgChangeError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let project = try options.load()
        let changes = (try? changes()) ?? []
        try InputError.exitOnFailure {
            Console.out(
                try Self.output(
                    project: project, user: user, object: object, field: field, record: record,
                    format: format, changes: changes,
                    style: .terminal))
        }
    }

    /// The command's output for a loaded project; throws `InputError` for unknown names.
    static func output(
        project: Project, user username: String, object: String? = nil, field: String? = nil,
        record: String? = nil, format: OutputFormat, changes: [OrgChange] = [], style: TextStyle = .plain
    ) throws -> String {
        if !changes.isEmpty {
            let path = field.flatMap(Lookup.fieldPath)
            let report = try WhatIfReport.make(
                project: project, username: username, changes: changes, object: path?.object ?? object,
                field: path?.field)
            return format == .json ? try Console.json(report) : report.text(style: style)
        }
        if let record {
            let explanation = try RecordExplanation.make(project: project, username: username, record: record)
            return format == .json ? try Console.json(explanation.entry) : explanation.text(style: style)
        }
        let path = field.flatMap(Lookup.fieldPath)
        let report = try ExplainReport.make(
            project: project, username: username, object: path?.object ?? object, field: path?.field)
        if format == .json { return try Console.json(report) }
        if path != nil { return report.fieldText(style: style) }
        return object != nil ? report.objectText(style: style) : report.text(style: style)
    }
}

/// The `explain` JSON contract (stable keys, documented in the README): the user, their licence, profile
/// and sources, refused assignments, system permissions, and objects with fields and reasons.
struct ExplainReport: Encodable {
    struct InvalidAssignmentEntry: Encodable {
        /// `permissionSet:NAME`, `permissionSetGroup:NAME`.
        var name: String
        var rule: String
        var message: String
    }

    struct SystemPermissionEntry: Encodable {
        var name: String
        var sources: [String]
        var reasons: [Reason]
    }

    /// Records of the object in the project's data the user can read and edit.
    struct RecordCounts: Encodable {
        var visible: Int
        var editable: Int
        var total: Int
    }

    struct FieldEntry: Encodable {
        var name: String
        var read: Bool
        var edit: Bool
        var masked: Bool
        /// `securityClassification`; absent when the field has none.
        var classification: String?
        /// Compliance groups, sorted; absent when none.
        var compliance: [String]?
        var reasons: [Reason]

        init(_ decision: FieldDecision) {
            name = decision.field
            read = decision.read
            edit = decision.edit
            masked = decision.masked
            classification = decision.classification.securityClassification
            let groups = decision.classification.complianceGroups.sorted()
            compliance = groups.isEmpty ? nil : groups
            reasons = decision.reasons
        }

        /// `Restricted (GLBA, PII)`, or empty.
        var classificationText: String {
            let groups = compliance.map { "(\($0.joined(separator: ", ")))" }
            return [classification, groups].compactMap { $0 }.joined(separator: " ")
        }
    }

    struct ObjectEntry: Encodable {
        var name: String
        var read: Bool
        var create: Bool
        var edit: Bool
        var delete: Bool
        var viewAll: Bool
        var modifyAll: Bool
        var viewAllFields: Bool
        var sources: [String]
        var reasons: [Reason]
        /// Only when the project has records of this object.
        var records: RecordCounts?
        var fields: [FieldEntry]

        init(_ decision: ObjectDecision, records: RecordCounts?) {
            name = decision.object
            let access = decision.access
            read = access.contains(.read)
            create = access.contains(.create)
            edit = access.contains(.edit)
            delete = access.contains(.delete)
            viewAll = access.contains(.viewAllRecords)
            modifyAll = access.contains(.modifyAllRecords)
            viewAllFields = access.contains(.viewAllFields)
            sources = decision.sources
            reasons = decision.reasons
            self.records = records
            fields = decision.fields.map(FieldEntry.init)
        }

        /// `Read`, `Create`, … in the engine's label order.
        var accessLabels: [String] {
            [
                (read, "Read"), (create, "Create"), (edit, "Edit"), (delete, "Delete"), (viewAll, "View All"),
                (modifyAll, "Modify All"), (viewAllFields, "View All Fields"),
            ].filter(\.0).map(\.1)
        }
    }

    var user: String
    var name: String?
    var license: String
    var permissionSetLicenses: [String]
    var profile: String
    var role: String?
    /// Valid permission sources: `profile:…`, `permissionSet:…`, `permissionSetGroup:…`.
    var sources: [String]
    var invalidAssignments: [InvalidAssignmentEntry]
    var expiredAssignments: [String]
    var systemPermissions: [SystemPermissionEntry]
    var objects: [ObjectEntry]
    /// Remarks about the input (unknown licence, missing profile).
    var notes: [String]

    /// Builds the report; `object` and `field` narrow it. Throws `InputError` for unknown names.
    static func make(project: Project, username: String, object: String? = nil, field: String? = nil) throws
        -> ExplainReport
    {
        let user = try Lookup.user(username, in: project)
        if let object, field != nil {
            // One field: index only its object and this user's sources (issue 3: answered in milliseconds
            // on an org of 100,000 fields). A field named only by other users' grants is unknown to that
            // narrow index, so an unknown name is asked again of the whole org.
            let narrow = AccessEvaluator(
                org: project.org, scope: EvaluationScope(objects: [object], users: [user]))
            do {
                return try make(user: user, evaluator: narrow, object: object, field: field) {
                    narrow.sharingEvaluator(everyUserFirst: false)
                }
            } catch is InputError {}
        }
        let evaluator = AccessEvaluator(org: project.org)
        return try make(user: user, evaluator: evaluator, object: object, field: field) {
            evaluator.sharingEvaluator(everyUserFirst: false)
        }
    }

    /// Builds the report for `user` with an evaluator already built (many users of one org); `sharing` is
    /// asked for only when the org has records of a listed object.
    static func make(
        user: User, evaluator: AccessEvaluator, object: String? = nil, field: String? = nil,
        sharing makeSharing: () -> SharingEvaluator
    ) throws -> ExplainReport {
        let access = evaluator.evaluate(user)
        var decisions: [ObjectDecision]
        if let object, let field {
            let decision = access.fieldDecision(object: object, field: field)
            if let unknown = decision.reasons.first(where: {
                $0.kind == .unknownObject || $0.kind == .unknownField
            }) {
                throw InputError(unknown.message)
            }
            var objectDecision = access.objectDecision(decision.object, includeFields: false)
            objectDecision.fields = [decision]
            decisions = [objectDecision]
        } else if let object {
            let decision = access.objectDecision(object)
            if let unknown = decision.reasons.first(where: { $0.kind == .unknownObject }) {
                throw InputError(unknown.message)
            }
            decisions = [decision]
        } else {
            decisions = access.objectDecisions()
        }

        // Record counts answer "what can this user reach"; one field's question (`--field`) does not ask
        // it, and counting a million records would cost it seconds (issue 3: 50 ms after load).
        let records = evaluator.org.records
        let withRecords =
            field != nil ? [] : decisions.map(\.object).filter { !records.records(of: $0).isEmpty }
        var counts: [String: RecordCounts] = [:]
        if !withRecords.isEmpty {
            let sharing = makeSharing()
            sharing.prepare(objects: withRecords)
            for object in withRecords {
                guard let levels = sharing.levels(object: object, username: user.username) else { continue }
                counts[object] = RecordCounts(
                    visible: levels.filter { $0 >= .read }.count,
                    editable: levels.filter { $0 >= .edit }.count,
                    total: levels.count)
            }
        }

        return ExplainReport(
            user: user.username, name: user.name, license: access.license,
            permissionSetLicenses: access.permissionSetLicenses, profile: access.profile, role: user.role,
            sources: access.sources.map(\.id),
            invalidAssignments: access.invalidAssignments.map {
                InvalidAssignmentEntry(name: $0.source, rule: $0.rule, message: $0.message)
            },
            expiredAssignments: access.expiredAssignments,
            systemPermissions: access.systemPermissions.map {
                SystemPermissionEntry(name: $0.name, sources: $0.sources, reasons: $0.reasons)
            },
            objects: decisions.map { ObjectEntry($0, records: counts[$0.object]) },
            notes: access.notes)
    }

    // MARK: Text

    /// The whole listing: the user, then each readable object with its fields, then objects whose grants do
    /// not take effect, one line each.
    func text(style: TextStyle) -> String {
        var lines = header(style: style)
        let readable = objects.filter(\.read)
        let other = objects.filter { !$0.read }
        lines.append("")
        lines.append(style.bold("objects \(user) can read (\(readable.count))"))
        if readable.isEmpty { lines.append("  none") }
        for object in readable {
            lines.append("")
            lines += objectBlock(object, allFields: false, style: style)
        }
        if !other.isEmpty {
            lines.append("")
            lines.append(style.bold("objects with grants that do not take effect (\(other.count))"))
            var table = TextTable()
            for object in other {
                let why = object.reasons.first { $0.kind != .grantedBy }.map(ReasonText.full) ?? ""
                table.add([object.name, why])
            }
            lines += table.render(indent: 2)
        }
        return lines.joined(separator: "\n")
    }

    /// One object: header, its object reasons, and every field.
    func objectText(style: TextStyle) -> String {
        var lines = header(style: style)
        for object in objects {
            lines.append("")
            lines += objectBlock(object, allFields: true, style: style)
            lines.append("  why:")
            for reason in object.reasons { lines.append("    - " + ReasonText.labelled(reason)) }
        }
        return lines.joined(separator: "\n")
    }

    /// One field with its whole reason tree.
    func fieldText(style: TextStyle) -> String {
        guard let object = objects.first, let field = object.fields.first else { return user }
        var lines: [String] = []
        let classification = field.classificationText
        var title = "\(style.bold(user))  \(object.name).\(field.name)"
        if !classification.isEmpty {
            let groups = field.compliance.map { "; " + $0.joined(separator: ", ") } ?? ""
            title += "  (\(field.classification ?? "unclassified")\(groups))"
        }
        lines.append(title)
        lines.append(
            "  read: \(style.yesNo(field.read))   edit: \(style.yesNo(field.edit))   masked: \(field.masked ? style.yellow("yes") : "no")"
        )
        let from = object.sources.isEmpty ? "" : " (\(object.sources.joined(separator: ", ")))"
        lines.append("  object \(object.name): \(ReasonText.access(object))\(from)")
        lines.append("  why:")
        for reason in field.reasons { lines.append("    - " + ReasonText.labelled(reason)) }
        if !object.read {
            for reason in object.reasons where reason.kind != .grantedBy {
                let line = "    - " + ReasonText.labelled(reason)
                if !lines.contains(line) { lines.append(line) }
            }
        }
        return lines.joined(separator: "\n")
    }

    private func header(style: TextStyle) -> [String] {
        var lines = [style.bold(user) + (name.map { " (\($0))" } ?? "")]
        var table = TextTable()
        let psls =
            permissionSetLicenses.isEmpty
            ? "" : "; permission set licences: " + permissionSetLicenses.joined(separator: ", ")
        table.add(["license", license + psls])
        table.add(["profile", profile])
        if let role { table.add(["role", role]) }
        table.add(["sources", sources.isEmpty ? "none" : sources.joined(separator: ", ")])
        if !expiredAssignments.isEmpty { table.add(["expired", expiredAssignments.joined(separator: ", ")]) }
        lines += table.render(indent: 2)
        if !invalidAssignments.isEmpty {
            lines.append("  " + style.red("invalid assignments (not sources):"))
            for entry in invalidAssignments {
                lines.append("    - \(entry.name): \(entry.message) (\(entry.rule))")
            }
        }
        for note in notes { lines.append("  note: \(note)") }
        lines.append("  system permissions:" + (systemPermissions.isEmpty ? " none" : ""))
        var permissions = TextTable()
        for permission in systemPermissions {
            permissions.add([permission.name, permission.sources.joined(separator: ", ")])
        }
        lines += permissions.render(indent: 4)
        return lines
    }

    /// Fields of a full listing that are listed one by one even when unreadable: classified ones, and those
    /// with a reason beyond "nothing grants it".
    private func isNotable(_ field: FieldEntry) -> Bool {
        field.read || field.classification != nil || field.compliance != nil
            || field.reasons.contains {
                ![.notGranted, .viewAllDataIgnoresFLS, .noObjectRead].contains($0.kind)
            }
    }

    private func objectBlock(_ object: ObjectEntry, allFields: Bool, style: TextStyle) -> [String] {
        var title = style.bold(object.name) + "  " + ReasonText.access(object)
        if !object.sources.isEmpty { title += "  from " + object.sources.joined(separator: ", ") }
        var lines = [title]
        if let records = object.records {
            lines.append(
                "  records: \(records.visible) of \(records.total) visible, \(records.editable) editable")
        }
        let listed = allFields ? object.fields : object.fields.filter(isNotable)
        var table = TextTable()
        table.add(["field", "read", "edit", "classification", "why"])
        for field in listed {
            table.add([
                field.name, field.read ? "yes" : "no", field.edit ? "yes" : "no", field.classificationText,
                ReasonText.shortWhy(field),
            ])
        }
        if !listed.isEmpty {
            lines += table.render(indent: 2) { column, row, padded in
                if row == 0 { return style.dim(padded) }
                guard column == 1 || column == 2 else { return padded }
                return padded.hasPrefix("yes") ? style.green(padded) : style.dim(padded)
            }
        }
        let rest = object.fields.filter { !listed.map(\.name).contains($0.name) }
        if !rest.isEmpty {
            let why = Set(rest.flatMap { ReasonText.denials($0.reasons) }).sorted().joined(separator: "; ")
            let names = rest.prefix(6).map(\.name).joined(separator: ", ") + (rest.count > 6 ? ", …" : "")
            lines.append(
                style.dim(
                    "  + \(rest.count) other fields not readable — \(why): \(names) (see --object \(object.name))"
                ))
        }
        return lines
    }
}

/// `explain --record`: one record's access level for one user, with every reason. When the user cannot
/// read the record's object at all, the object's reasons come along (`objectReadable`, `objectReasons`).
struct RecordExplanation {
    var user: String
    var object: String
    var decision: RecordDecision
    var objectReasons: [Reason]?

    var entry: RecordEntry {
        RecordEntry(
            decision: decision, object: object, objectReadable: objectReasons == nil,
            objectReasons: objectReasons)
    }

    static func make(project: Project, username: String, record id: String) throws -> RecordExplanation {
        let user = try Lookup.user(username, in: project)
        let record = try Lookup.record(id, in: project.org)
        // One record: index only its object and this user's sources, and compute access only for the
        // users the decision asks about (issue 4: answered in milliseconds after load).
        let evaluator = AccessEvaluator(
            org: project.org, scope: EvaluationScope(objects: [record.object], users: [user]))
        guard
            let decision = evaluator.sharingEvaluator(everyUserFirst: false).decision(
                username: user.username, recordId: record.id)
        else {
            throw InputError("record '\(id)' could not be evaluated for \(user.username)")
        }
        let access = evaluator.evaluate(user)
        let objectReasons =
            access.objectAccess(record.object).contains(.read)
            ? nil : access.objectDecision(record.object, includeFields: false).reasons
        return RecordExplanation(
            user: user.username, object: record.object, decision: decision, objectReasons: objectReasons)
    }

    func text(style: TextStyle) -> String {
        let reference = decision.referenceId.map { "\($0), " } ?? ""
        let name = decision.name.map { "\($0) " } ?? ""
        var lines = ["\(style.bold(user))  \(object) \(name)(\(reference)\(decision.recordId))"]
        let level = decision.level.description
        lines.append("  access: " + (decision.isVisible ? style.green(level) : style.red(level)))
        lines.append("  why:")
        lines += RecordsReport.reasonLines(decision.reasons, indent: 4)
        lines += objectLines(indent: 4)
        return lines.joined(separator: "\n")
    }

    /// When the object is not readable: that, with the object's reasons.
    func objectLines(indent: Int) -> [String] {
        guard let objectReasons else { return [] }
        let pad = String(repeating: " ", count: indent)
        return ["\(pad)- the user cannot read \(object) at all (OBJ-9):"]
            + objectReasons.map { "\(pad)    - " + ReasonText.labelled($0) }
    }
}

/// `explain` with what-if options: the org evaluated as it is and as if `changes` were made, compared by
/// `AccessDiff` (the same comparison `diff` uses) and judged by the project's policy. JSON keys: `user`,
/// `whatIf` (each change in words), `sourcesBefore`, `sourcesAfter`, then the `diff` contract:
/// `changes`, `refusedAssignments`, `summary`.
struct WhatIfReport: Encodable {
    var user: String
    var whatIf: [String]
    var sourcesBefore: [String]
    var sourcesAfter: [String]
    var changes: [DiffReport.ChangeEntry]
    var refusedAssignments: [DiffReport.RefusedEntry]
    var summary: DiffReport.Summary
    /// The judged diff, for text rendering.
    let diff: AccessDiff

    enum CodingKeys: String, CodingKey {
        case user, whatIf, sourcesBefore, sourcesAfter, changes, refusedAssignments, summary
    }

    /// Applies `changes` to a copy of the org and compares; `object` and `field` narrow the changes listed.
    /// Throws `InputError` for unknown names (with the change's did-you-mean hint).
    static func make(
        project: Project, username: String, changes: [OrgChange], object: String? = nil, field: String? = nil
    ) throws -> WhatIfReport {
        let user = try Lookup.user(username, in: project)
        var after = project.org
        do {
            try OrgChange.apply(changes, to: &after)
        } catch {
            throw InputError(error.description)
        }
        var diff = AccessDiff.compare(before: project.org, after: after).judged(
            by: project.policy, before: project.org, after: after)
        if let object {
            let name = try Lookup.object(object, in: project.org)
            let fieldName = try field.map { try Lookup.field($0, of: name, in: project.org) }
            diff.changes = diff.changes.filter { change in
                change.object == name && (fieldName == nil || change.field == fieldName)
            }
        }
        // The user's own changes first, then everyone else's in org order.
        let own = diff.changes(for: user.username)
        diff.changes =
            own + diff.changes.filter { $0.user.caseInsensitiveCompare(user.username) != .orderedSame }
        let report = DiffReport(diff)
        return WhatIfReport(
            user: user.username, whatIf: changes.map(\.summary),
            sourcesBefore: AccessEvaluator(org: project.org).evaluate(user).sources.map(\.id),
            sourcesAfter: after.user(named: user.username).map { AccessEvaluator(org: after).evaluate($0) }?
                .sources.map(\.id) ?? [],
            changes: report.changes, refusedAssignments: report.refusedAssignments, summary: report.summary,
            diff: diff)
    }

    func text(style: TextStyle) -> String {
        var lines = whatIf.map { "what if: " + $0 }
        lines.append("")
        lines.append(style.bold(user))
        lines.append(
            "  sources before: " + (sourcesBefore.isEmpty ? "none" : sourcesBefore.joined(separator: ", ")))
        if sourcesAfter != sourcesBefore {
            lines.append(
                "  sources after:  " + (sourcesAfter.isEmpty ? "none" : sourcesAfter.joined(separator: ", ")))
        }
        let own = diff.changes(for: user)
        if own.isEmpty {
            lines.append("  no change in what \(user) can reach")
        } else {
            lines.append("  changes (\(own.count)):")
            lines += ChangeText.lines(own, indent: 4, style: style)
        }
        let others = diff.users.filter { $0.caseInsensitiveCompare(user) != .orderedSame }
        lines.append("")
        if others.isEmpty {
            lines.append("no other user's access changes")
        } else {
            lines.append(style.bold("other users whose access changes (\(others.count))"))
            for other in others {
                let changes = diff.changes(for: other)
                let integration = changes.first?.isIntegrationUser == true ? " (integration user)" : ""
                lines.append("  " + other + integration)
                lines += ChangeText.lines(changes, indent: 4, style: style)
            }
        }
        lines += ChangeText.refused(diff.refusedAssignments, style: style, indent: 0)
        lines.append("")
        lines.append(ChangeText.summary(diff))
        return lines.joined(separator: "\n")
    }
}
