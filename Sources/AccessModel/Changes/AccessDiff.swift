import Foundation

/// One user's access to one object, field, system permission or set of records, before and after.
public struct AccessChange: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case object, field, records, systemPermission
    }

    public var user: String
    public var kind: Kind
    /// The object (absent for system permissions).
    public var object: String?
    /// The field API name, for field changes.
    public var field: String?
    /// The permission name, for system-permission changes.
    public var permission: String?
    /// Object: `none` or `read,create,…`; field: `none`, `read`, `edit`; records: `N of T` visible;
    /// system permission: `off` or `on`.
    public var before: String
    public var after: String
    /// Something is reachable after that was not before.
    public var isWidening: Bool
    /// Something reachable before is not after (a change can be both: Read gained, Delete lost).
    public var isNarrowing: Bool
    /// The field's classification, for field changes.
    public var classification: Classification?
    /// For object and records changes: the classifications of the fields the user can read on the object
    /// on the wider side (after when widening, else before), so a policy can rate what the records expose.
    public var exposedClassifications: Set<Classification>
    /// For records changes: every record whose level changed.
    public var records: [RecordChange]
    /// The policy tier, when a policy has judged the change (`Governance`).
    public var tier: Int?
    /// Whether the user is an integration user, when a policy has judged the change.
    public var isIntegrationUser: Bool

    public init(
        user: String, kind: Kind, object: String? = nil, field: String? = nil, permission: String? = nil,
        before: String, after: String, isWidening: Bool, isNarrowing: Bool,
        classification: Classification? = nil, exposedClassifications: Set<Classification> = [],
        records: [RecordChange] = [], tier: Int? = nil, isIntegrationUser: Bool = false
    ) {
        self.user = user
        self.kind = kind
        self.object = object
        self.field = field
        self.permission = permission
        self.before = before
        self.after = after
        self.isWidening = isWidening
        self.isNarrowing = isNarrowing
        self.classification = classification
        self.exposedClassifications = exposedClassifications
        self.records = records
        self.tier = tier
        self.isIntegrationUser = isIntegrationUser
    }

    /// `Contact.SSN__c`, `Account`, or the permission name.
    public var target: String {
        if let object, let field { return FieldPath.key(object: object, field: field) }
        return object ?? permission ?? ""
    }
}

/// One record whose access level changed for a user.
public struct RecordChange: Hashable, Sendable {
    public var recordId: String
    /// The data-file reference id, when the record has one.
    public var referenceId: String?
    public var before: AccessLevel
    public var after: AccessLevel

    public init(recordId: String, referenceId: String? = nil, before: AccessLevel, after: AccessLevel) {
        self.recordId = recordId
        self.referenceId = referenceId
        self.before = before
        self.after = after
    }
}

/// An assignment Salesforce would refuse after the change but not before (`LIC-6`…`LIC-9`, `PSG-7`).
public struct RefusedAssignment: Hashable, Sendable {
    public var user: String
    public var assignment: InvalidAssignment
}

/// Every difference in what users reach between two orgs — object permissions, field access, system
/// permissions and record visibility — computed by the evaluator on both sides. Used by `explain`'s
/// what-if options (an org and the same org with `OrgChange`s applied) and by `diff` (two projects).
/// Pure: no I/O.
public struct AccessDiff: Sendable {
    /// In user order (the after org's users, then users only in the before org), then kind (object,
    /// field, records, system permission), then object and field name.
    public var changes: [AccessChange]
    public var refusedAssignments: [RefusedAssignment]

    public init(changes: [AccessChange] = [], refusedAssignments: [RefusedAssignment] = []) {
        self.changes = changes
        self.refusedAssignments = refusedAssignments
    }

    /// Usernames with at least one change, in change order.
    public var users: [String] {
        var seen: Set<String> = []
        return changes.map(\.user).filter { seen.insert($0.lowercased()).inserted }
    }

    public func changes(for user: String) -> [AccessChange] {
        changes.filter { $0.user.caseInsensitiveCompare(user) == .orderedSame }
    }

    public var isEmpty: Bool { changes.isEmpty && refusedAssignments.isEmpty }

    /// Compares `before` and `after` for every user of either (or only `users`, case-insensitive). A user
    /// present on one side only is compared with no access on the other. `records: false` skips record
    /// visibility (the costliest part on large orgs).
    public static func compare(
        before: Org, after: Org, users only: [String]? = nil, records includeRecords: Bool = true,
        now: Date = Date()
    ) -> AccessDiff {
        let beforeEvaluator = AccessEvaluator(org: before, now: now)
        let afterEvaluator = AccessEvaluator(org: after, now: now)
        var names: [String] = []
        var seen: Set<String> = []
        for user in after.users + before.users where seen.insert(user.username.lowercased()).inserted {
            names.append(user.username)
        }
        if let only {
            let wanted = Set(only.map { $0.lowercased() })
            names = names.filter { wanted.contains($0.lowercased()) }
        }
        let objects = Set(before.objects.keys).union(after.objects.keys).sorted()

        let recordObjects =
            includeRecords ? Set(before.records.objectNames).union(after.records.objectNames).sorted() : []
        // When nothing record sharing reads has changed, a user's records change only with their own object
        // permissions (`OBJ-9`, `REC-18`); the sharing evaluators are then built only if one of those did.
        let sharingUnchanged = sharingInputsEqual(before, after)
        var sharing: (before: SharingEvaluator, after: SharingEvaluator)?
        func sharingEvaluators() -> (before: SharingEvaluator, after: SharingEvaluator) {
            if let sharing { return sharing }
            let built = (beforeEvaluator.sharingEvaluator(), afterEvaluator.sharingEvaluator())
            built.0.prepare(objects: recordObjects)
            built.1.prepare(objects: recordObjects)
            sharing = built
            return built
        }

        let beforeUsers = Dictionary(
            before.users.map { ($0.username.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let afterUsers = Dictionary(
            after.users.map { ($0.username.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var memo: [PairKey: [AccessChange]] = [:]
        var changes: [AccessChange] = []
        var refused: [RefusedAssignment] = []
        for name in names {
            let b = beforeUsers[name.lowercased()].map(beforeEvaluator.evaluate)
            let a = afterUsers[name.lowercased()].map(afterEvaluator.evaluate)
            let key = PairKey(before: b?.effective.key, after: a?.effective.key)
            let permissionChanges: [AccessChange]
            if let known = memo[key] {
                permissionChanges = known
            } else {
                permissionChanges = compare(b, a, objects: objects, before: before, after: after)
                memo[key] = permissionChanges
            }
            var userChanges = permissionChanges.map { change -> AccessChange in
                var change = change
                change.user = name
                return change
            }
            // Object and field changes, then records, then system permissions.
            let systemIndex = userChanges.firstIndex { $0.kind == .systemPermission } ?? userChanges.endIndex
            var recordChanges: [AccessChange] = []
            for object in recordObjects {
                if sharingUnchanged, let b, let a, b.objectAccess(object) == a.objectAccess(object),
                    b.hasSystemPermission("ViewAllData") == a.hasSystemPermission("ViewAllData"),
                    b.hasSystemPermission("ModifyAllData") == a.hasSystemPermission("ModifyAllData")
                {
                    continue
                }
                let evaluators = sharingEvaluators()
                if let change = compareRecords(
                    user: name, object: object, before: before, after: after,
                    beforeSharing: evaluators.before,
                    afterSharing: evaluators.after, beforeAccess: b, afterAccess: a)
                {
                    recordChanges.append(change)
                }
            }
            userChanges.insert(contentsOf: recordChanges, at: systemIndex)
            changes += userChanges

            let known = Set(b?.invalidAssignments.map(\.source) ?? [])
            for invalid in a?.invalidAssignments ?? [] where !known.contains(invalid.source) {
                refused.append(RefusedAssignment(user: name, assignment: invalid))
            }
        }
        return AccessDiff(changes: changes, refusedAssignments: refused)
    }

    /// True when everything record sharing reads — records, manual shares, sharing and restriction rules,
    /// roles, public groups, objects, and users' roles, groups and kinds — is the same in both orgs.
    static func sharingInputsEqual(_ a: Org, _ b: Org) -> Bool {
        func people(_ org: Org) -> [[String?]] {
            org.users.map {
                [
                    $0.username, $0.id, $0.role, $0.groups.joined(separator: "\u{1}"), String($0.isExternal),
                    String($0.isActive),
                ]
            }
        }
        return a.records == b.records && a.manualShares == b.manualShares && a.sharingRules == b.sharingRules
            && a.restrictionRules == b.restrictionRules && a.roles == b.roles && a.groups == b.groups
            && a.objects == b.objects && people(a) == people(b)
    }

    struct PairKey: Hashable {
        var before: SourceKey?
        var after: SourceKey?
    }

    /// Object, field and system-permission changes of one user (the username is filled in by the caller).
    static func compare(_ b: UserAccess?, _ a: UserAccess?, objects: [String], before: Org, after: Org)
        -> [AccessChange]
    {
        var changes: [AccessChange] = []
        for object in objects {
            let beforeAccess = b?.objectAccess(object) ?? []
            let afterAccess = a?.objectAccess(object) ?? []
            let beforeRead = Set(b?.readableFields(of: object) ?? [])
            let afterRead = Set(a?.readableFields(of: object) ?? [])
            let beforeEdit = Set(b?.editableFields(of: object) ?? [])
            let afterEdit = Set(a?.editableFields(of: object) ?? [])
            if beforeAccess != afterAccess {
                let widening = !afterAccess.subtracting(beforeAccess).isEmpty
                changes.append(
                    AccessChange(
                        user: "", kind: .object, object: object, before: OrgChange.accessText(beforeAccess),
                        after: OrgChange.accessText(afterAccess), isWidening: widening,
                        isNarrowing: !beforeAccess.subtracting(afterAccess).isEmpty,
                        exposedClassifications: classifications(
                            of: widening ? afterRead : beforeRead, object: object,
                            in: widening ? after : before)))
            }
            guard beforeRead != afterRead || beforeEdit != afterEdit else { continue }
            for field in beforeRead.union(afterRead).sorted() {
                let was = level(field, read: beforeRead, edit: beforeEdit)
                let now = level(field, read: afterRead, edit: afterEdit)
                guard was != now else { continue }
                let classification =
                    (after.objects[object]?.fields[field] ?? before.objects[object]?.fields[field])?
                    .classification ?? Classification()
                changes.append(
                    AccessChange(
                        user: "", kind: .field, object: object, field: field, before: levelText(was),
                        after: levelText(now), isWidening: now > was, isNarrowing: now < was,
                        classification: classification))
            }
        }
        let beforePermissions = b?.effective.userPermissions ?? []
        let afterPermissions = a?.effective.userPermissions ?? []
        for permission in beforePermissions.symmetricDifference(afterPermissions).sorted() {
            let gained = afterPermissions.contains(permission)
            changes.append(
                AccessChange(
                    user: "", kind: .systemPermission, permission: permission, before: gained ? "off" : "on",
                    after: gained ? "on" : "off", isWidening: gained, isNarrowing: !gained))
        }
        return changes
    }

    /// The record-visibility change of one user on one object, if any level changed.
    static func compareRecords(
        user: String, object: String, before: Org, after: Org, beforeSharing: SharingEvaluator?,
        afterSharing: SharingEvaluator?, beforeAccess: UserAccess?, afterAccess: UserAccess?
    ) -> AccessChange? {
        func levels(_ org: Org, _ sharing: SharingEvaluator?, _ access: UserAccess?) -> [String: AccessLevel]
        {
            guard access != nil, let levels = sharing?.levels(object: object, username: user) else {
                return [:]
            }
            var result: [String: AccessLevel] = [:]
            for (record, level) in zip(org.records.records(of: object), levels) where level > .none {
                result[record.id] = level
            }
            return result
        }
        let was = levels(before, beforeSharing, beforeAccess)
        let now = levels(after, afterSharing, afterAccess)
        guard was != now else { return nil }
        var changed: [RecordChange] = []
        let ids = Set(was.keys).union(now.keys).sorted()
        for id in ids {
            let old = was[id] ?? .none
            let new = now[id] ?? .none
            guard old != new else { continue }
            let reference = (after.records.record(id: id) ?? before.records.record(id: id))?.referenceId
            changed.append(RecordChange(recordId: id, referenceId: reference, before: old, after: new))
        }
        let widening = changed.contains { $0.after > $0.before }
        let wider = widening ? afterAccess : beforeAccess
        return AccessChange(
            user: user, kind: .records, object: object,
            before: "\(was.count) of \(before.records.records(of: object).count)",
            after: "\(now.count) of \(after.records.records(of: object).count)", isWidening: widening,
            isNarrowing: changed.contains { $0.after < $0.before },
            exposedClassifications: classifications(
                of: Set(wider?.readableFields(of: object) ?? []), object: object,
                in: widening ? after : before),
            records: changed)
    }

    static func level(_ field: String, read: Set<String>, edit: Set<String>) -> AccessLevel {
        edit.contains(field) ? .edit : (read.contains(field) ? .read : .none)
    }

    /// `none`, `read`, `edit`.
    static func levelText(_ level: AccessLevel) -> String { level == .all ? "edit" : level.description }

    static func classifications(of fields: Set<String>, object: String, in org: Org) -> Set<Classification> {
        guard let type = org.objects[object] else { return [] }
        return Set(fields.compactMap { type.fields[$0]?.classification }.filter { !$0.isEmpty })
    }
}
