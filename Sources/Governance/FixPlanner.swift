import AccessModel
import Foundation

/// Builds a `FixPlan` phase by phase, re-evaluating the org with the changes so far applied before each
/// decision (the evaluator decides; the planner only chooses where to write). Pure: no I/O.
struct FixPlanner {
    let org: Org
    let policy: Policy
    let user: User
    let now: Date
    private(set) var plan: FixPlan
    private var done: Set<OrgChange> = []
    private var noted: Set<String> = []
    /// Field paths and `rule source` pairs a note already explains, so leftovers are not noted twice.
    private var explained: Set<String> = []
    /// Tier-1 profile entries the user reads through the latent profile, in the order found; each is set
    /// to false once `settleTier1ProfileEntries` has checked no other user depends on it.
    private var tier1Entries: [String] = []
    private var tier1Settled: Set<String> = []
    private var ownSet: String?

    init(org: Org, policy: Policy, user: User, now: Date) {
        self.org = org
        self.policy = policy
        self.user = user
        self.now = now
        plan = FixPlan(user: user.username, changes: [], newPermissionSets: [], notes: [])
    }

    var profileID: String { PermissionSource.id(.profile, user.profile) }

    mutating func run() -> FixPlan {
        systemPermissions()
        for _ in 0..<4 {
            let count = plan.changes.count
            fieldAccess()
            settleTier1ProfileEntries()
            approvedFields()
            if plan.changes.count == count { break }
        }
        chooseLicense()
        orderChanges()
        noteLeftovers()
        return plan
    }

    // MARK: Bookkeeping

    mutating func note(_ text: String) {
        if noted.insert(text).inserted { plan.notes.append(text) }
    }

    @discardableResult
    mutating func add(_ change: OrgChange) -> Bool {
        guard done.insert(change).inserted else { return false }
        plan.changes.append(change)
        return true
    }

    /// The org with the plan so far applied; nil (with a note) when a change cannot be applied.
    mutating func current() -> Org? {
        do {
            return try plan.apply(to: org)
        } catch {
            note("the plan could not be applied in memory: \(error)")
            return nil
        }
    }

    func others(holding source: String, in org: Org) -> [String] {
        FixPlan.holders(of: source, in: org).filter {
            $0.caseInsensitiveCompare(user.username) != .orderedSame
        }
    }

    // MARK: 1. System permissions

    /// View All Data / Modify All Data the audit flags: switched off where only this user holds the
    /// source, otherwise explained (`OBJ-4`, `OBJ-5`).
    mutating func systemPermissions() {
        let report = Audit(evaluator: AccessEvaluator(org: org, now: now), policy: policy, now: now)
            .run(user: user.username)
        for finding in report.findings where finding.severity == .error {
            let permission: String
            switch finding.rule {
            case .viewAllData: permission = "ViewAllData"
            case .modifyAllData: permission = "ModifyAllData"
            default: continue
            }
            explained.insert("\(finding.rule.rawValue) \(finding.source ?? "")")
            let sources = FixPlan.systemPermissionSources(permission, of: user, in: org)
            for source in sources {
                let sharers = others(holding: source, in: org)
                if sharers.isEmpty {
                    add(.removeUserPermission(source: source, permission: permission))
                } else {
                    note(
                        "\(permission) left on \(source): it is shared with \(sharers.sorted().joined(separator: ", ")); move the integration to its own profile or permission set without \(permission), then switch it off there."
                    )
                }
            }
            if sources.isEmpty {
                note("\(finding.rule.rawValue) left: \(finding.message) Fix: \(finding.fix)")
            }
        }
    }

    // MARK: 2–3. Field access

    /// The most the policy lets the user keep on a tier-2/3 field: tier 3 needs an unexpired approval
    /// naming an approver, tier 2 one with an approver or a justification (as `Audit` judges them).
    func allowed(_ path: String, tier: Int) -> FieldAccess {
        let valid = policy.approvals(user: user.username, field: path).filter {
            guard !$0.isExpired(at: now) else { return false }
            let approved = !($0.approvedBy ?? "").isEmpty
            return tier >= 3 ? approved : approved || !($0.justification ?? "").isEmpty
        }
        if valid.contains(where: { $0.access == .edit }) { return .edit }
        return valid.isEmpty ? .none : .read
    }

    /// For every field the user reads: remove what the policy does not allow from every source that
    /// grants it, and move what the user keeps off the latent profile into their own permission set.
    mutating func fieldAccess() {
        guard let current = current(), let me = current.user(named: user.username) else { return }
        let evaluator = AccessEvaluator(org: current, now: now)
        let access = evaluator.evaluate(me)
        let profileGrants = current.profiles[me.profile]?.grants ?? PermissionGrants()
        for object in access.readableObjects.sorted() {
            guard let type = current.objects[object] else { continue }
            for name in type.fields.keys.sorted() {
                guard let field = type.fields[name], access.canRead(object: object, field: name) else {
                    continue
                }
                let path = FieldPath.key(object: object, field: name)
                let tier = policy.tier(of: field.classification)
                let level: FieldAccess = access.canEdit(object: object, field: name) ? .edit : .read
                let target = tier >= 2 ? Self.intersect(level, allowed(path, tier: tier)) : level
                let onProfile = Self.entryKey(in: profileGrants, field: field, type: type) != nil
                guard target != level || onProfile else { continue }
                if field.isAlwaysReadable {
                    if !target.readable {
                        explained.insert(path)
                        note(
                            "\(path) left as it is: Salesforce allows no field-level security on it (required, master-detail or always readable, FLS-6); it stays readable (tier \(tier)) until the field is removed from the integration's objects or approved."
                        )
                    }
                    continue
                }
                let decision = access.fieldDecision(object: object, field: name)
                let latent = decision.reasons.contains {
                    $0.kind == .latentProfileFieldPermission && $0.source == profileID
                }
                if !target.readable {
                    for source in Self.grantors(decision, "Read") where !(latent && source == profileID) {
                        revoke(source, field: field, type: type, to: .none, in: current, evaluator: evaluator)
                    }
                    for reason in decision.reasons where reason.kind == .viewAllFields {
                        explained.insert(path)
                        note(
                            "\(path) stays readable through View All Fields on \(object) from \(reason.source ?? "a source"); switch View All Fields off there and grant the fields the integration needs one by one (OBJ-3)."
                        )
                    }
                } else if level.editable && !target.editable {
                    for source in Self.grantors(decision, "Edit") where !(latent && source == profileID) {
                        revoke(source, field: field, type: type, to: .read, in: current, evaluator: evaluator)
                    }
                }
                if latent {
                    moveFromProfile(field, type: type, keep: target, tier: tier, in: current)
                }
            }
        }
    }

    /// The sources a field decision names as granting `permission` (`Read` or `Edit`), in order.
    static func grantors(_ decision: FieldDecision, _ permission: String) -> [String] {
        var seen: Set<String> = []
        return decision.reasons.filter {
            $0.permission == permission && ($0.kind == .grantedBy || $0.kind == .latentProfileFieldPermission)
        }.compactMap(\.source).filter { seen.insert($0).inserted }
    }

    /// The entry of `grants` through which it grants Read on `field`: the field's own, or its compound
    /// field's (`FLS-8`: an entry on `BillingAddress` covers `BillingStreet`).
    static func entryKey(in grants: PermissionGrants, field: Field, type: SObjectType) -> String? {
        let key = FieldPath.key(object: type.name, field: field.name)
        if grants.fields[key]?.effective.readable == true { return key }
        if let parent = field.compoundParent {
            let parentKey = FieldPath.key(object: type.name, field: parent)
            if grants.fields[parentKey]?.effective.readable == true { return parentKey }
        }
        return grants.fields.first {
            $0.key.caseInsensitiveCompare(key) == .orderedSame && $0.value.effective.readable
        }?.key
    }

    static func intersect(_ a: FieldAccess, _ b: FieldAccess) -> FieldAccess {
        let a = a.effective
        let b = b.effective
        return FieldAccess(readable: a.readable && b.readable, editable: a.editable && b.editable)
    }

    /// Stops `source` granting more than `level` on `field`. A profile or permission set gets an explicit
    /// entry; a permission set inside a group is patched when that changes no other user's access, else the
    /// field is muted in the group (`PSG-2`; muting only reaches what the group grants, `PSG-3`).
    mutating func revoke(
        _ source: String, field: Field, type: SObjectType, to level: FieldAccess, in current: Org,
        evaluator: AccessEvaluator
    ) {
        let path = FieldPath.key(object: type.name, field: field.name)
        if let (group, member) = FixPlan.groupMember(source) {
            guard let grants = current.permissionSets[member]?.grants,
                let key = Self.entryKey(in: grants, field: field, type: type)
            else {
                note("\(path): \(source) grants it, but its entry was not found; remove it by hand.")
                return
            }
            let patch = OrgChange.setFLS(
                source: PermissionSource.id(.permissionSet, member), field: key,
                access: Self.intersect(grants.fields[key]!, level))
            let holders = others(holding: PermissionSource.id(.permissionSet, member), in: current)
            if holders.isEmpty
                || affected(by: [patch], users: holders, keys: [key], in: current, evaluator: evaluator)
                    .isEmpty
            {
                add(patch)
            } else {
                add(.mute(group: group, field: key, access: level.readable ? .edit : .read))
            }
            return
        }
        guard let (kind, name) = OrgChange.splitSource(source), kind != .permissionSetGroup,
            let grants = kind == .profile
                ? current.profiles[name]?.grants : current.permissionSets[name]?.grants,
            let key = Self.entryKey(in: grants, field: field, type: type)
        else {
            note("\(path): granted by \(source), which fix cannot patch; remove the grant by hand.")
            return
        }
        add(.setFLS(source: source, field: key, access: Self.intersect(grants.fields[key]!, level)))
    }

    /// For each entry key, the users among `users` whose access to the fields it covers (the field, or a
    /// compound field's components) changes when `changes` are applied to `current`.
    func affected(
        by changes: [OrgChange], users: [String], keys: [String], in current: Org, evaluator: AccessEvaluator
    ) -> [String: [String]] {
        var trial = current
        guard (try? OrgChange.apply(changes, to: &trial)) != nil else {
            return Dictionary(uniqueKeysWithValues: keys.map { ($0, users) })
        }
        let people = users.compactMap { current.user(named: $0) }
        let before = evaluator.evaluate(people)
        let after = AccessEvaluator(org: trial, now: now).evaluate(people)
        var result: [String: [String]] = [:]
        for key in keys {
            guard let (object, _) = FieldPath.split(key), let type = current.objects[object] else { continue }
            let fields = Self.fields(coveredBy: key, type: type)
            let changed = zip(before, after).filter { b, a in
                fields.contains {
                    b.canRead(object: object, field: $0) != a.canRead(object: object, field: $0)
                        || b.canEdit(object: object, field: $0) != a.canEdit(object: object, field: $0)
                }
            }.map(\.0.user.username)
            if !changed.isEmpty { result[key] = changed.sorted() }
        }
        return result
    }

    /// The field an entry names and, for a compound field, its components.
    static func fields(coveredBy key: String, type: SObjectType) -> [String] {
        guard let (_, name) = FieldPath.split(key) else { return [] }
        return [name] + type.fields.values.filter { $0.compoundParent == name }.map(\.name).sorted()
    }

    /// A field the user keeps but reads through a latent profile entry (`FLS-5`) moves to the user's own
    /// permission set, at the level they keep and no more than the profile gave.
    ///
    /// The profile entry is then set to explicit `false` — for tier 1 too: a permission set can only
    /// grant (`LIC-10`, `FLS-3`), so while the profile entry stays true the permission set is not the
    /// whole story (unticking the field there later would not remove it), the entry stays invisible in
    /// Setup, and it wakes for every user of this shared profile whose permission sets grant the object
    /// (`FLS-5`). Tier-2/3 entries always go (a latent tier-2/3 entry is an error, `KH-LATENT-FLS`); a
    /// tier-1 entry another user still reads only through the profile is left, with a note naming them
    /// (`settleTier1ProfileEntries`): taking it would break their integration for no policy reason.
    mutating func moveFromProfile(
        _ field: Field, type: SObjectType, keep: FieldAccess, tier: Int, in current: Org
    ) {
        guard let grants = current.profiles[user.profile]?.grants,
            let key = Self.entryKey(in: grants, field: field, type: type)
        else { return }
        if keep.readable {
            var copy = Self.intersect(grants.fields[key]!, keep)
            if let (_, name) = FieldPath.split(key), type.fields[name]?.isWritableType == false {
                copy.editable = false
            }
            grant(copy, key: key, object: type.name, objectAccess: [.read], in: current)
        }
        if tier >= 2 || !keep.readable {
            add(.setFLS(source: profileID, field: key, access: .none))
        } else if !tier1Entries.contains(key) {
            tier1Entries.append(key)
        }
    }

    /// Sets to false the tier-1 profile entries moved so far that no other user of the profile reads only
    /// through them; the rest are left, with a note.
    mutating func settleTier1ProfileEntries() {
        let pending = tier1Entries.filter { !tier1Settled.contains($0) }
        guard !pending.isEmpty, let current = current() else { return }
        let holders = others(holding: profileID, in: current)
        let dependents =
            holders.isEmpty
            ? [:]
            : affected(
                by: pending.map { .setFLS(source: profileID, field: $0, access: .none) }, users: holders,
                keys: pending, in: current, evaluator: AccessEvaluator(org: current, now: now))
        for key in pending {
            tier1Settled.insert(key)
            if dependents[key] == nil { add(.setFLS(source: profileID, field: key, access: .none)) }
        }
        let byUsers = Dictionary(grouping: dependents.keys.sorted()) {
            dependents[$0]!.joined(separator: ", ")
        }
        let own = ownSet.map { "permissionSet:\($0)" } ?? "the user's own permission set"
        for (users, keys) in byUsers.sorted(by: { $0.key < $1.key }) {
            let them = keys.count == 1 ? "it" : "them"
            note(
                "\(profileID) keeps \(keys.joined(separator: ", ")) (tier 1): \(users) read\(users.contains(",") ? "" : "s") \(them) only through this shared profile's latent entries (FLS-5), so setting \(them) to false would take \(them) away; \(own) now grants \(them) to \(user.username). Run keyhole fix for \(users), then set \(them) to false on the profile."
            )
        }
    }

    // MARK: 4. Approved fields the user cannot read

    /// An approved field the user cannot read makes every query that names it fail
    /// (`KH-FLS-QUERY-WILL-FAIL`): grant it, with Read (and Edit when the approval asks for edit) on its
    /// object, in the user's own permission set.
    mutating func approvedFields() {
        guard let current = current(), let me = current.user(named: user.username) else { return }
        let access = AccessEvaluator(org: current, now: now).evaluate(me)
        for approval in policy.approvals
        where approval.user.caseInsensitiveCompare(user.username) == .orderedSame
            && !approval.isExpired(at: now)
        {
            guard let (rawObject, rawField) = FieldPath.split(approval.field),
                let type = current.object(named: rawObject),
                let field = type.fields[rawField]
                    ?? type.fields.values.first(where: {
                        $0.name.caseInsensitiveCompare(rawField) == .orderedSame
                    })
            else { continue }
            let path = FieldPath.key(object: type.name, field: field.name)
            guard !access.canRead(object: type.name, field: field.name) else { continue }
            let tier = policy.tier(of: field.classification)
            guard allowed(path, tier: tier).readable || tier < 2 else {
                explained.insert(path)
                let missing =
                    tier >= 3
                    ? "names no approver (approvedBy)" : "has neither a justification nor an approver"
                note(
                    "\(path) is tier \(tier) and its approval \(missing), so the fix cannot grant it; complete the approval in keyhole.yaml, or remove it and the field from the integration's queries."
                )
                continue
            }
            let edit = approval.access == .edit && field.isWritableType
            let fieldAccess: FieldAccess? = field.isAlwaysReadable ? nil : (edit ? .edit : .read)
            grant(
                fieldAccess, key: path, object: type.name, objectAccess: edit ? [.read, .edit] : [.read],
                in: current)
        }
    }

    /// Grants `access` on `key` (nil: no field entry) in the user's own permission set, and
    /// `objectAccess` on its object unless the user's profile grants it itself (the set then holds the
    /// object permission its field permissions need, whatever other permission sets the user has).
    /// Adds only what the set lacks.
    mutating func grant(
        _ access: FieldAccess?, key: String, object: String, objectAccess: ObjectAccess, in current: Org
    ) {
        let own = ownPermissionSet()
        let source = PermissionSource.id(.permissionSet, own)
        let grants =
            current.permissionSets[own]?.grants ?? plan.newPermissionSets.first { $0.name == own }?.grants
            ?? PermissionGrants()
        let objects = grants.objectAccess(object)
        let fromProfile = current.profiles[user.profile]?.grants.objectAccess(object) ?? []
        if !objects.isSuperset(of: objectAccess), !fromProfile.isSuperset(of: objectAccess) {
            add(.setObjectAccess(source: source, object: object, access: objects.union(objectAccess)))
        }
        guard let access else { return }
        let existing = grants.fields[key]?.effective ?? FieldAccess.none
        let wanted = existing.union(access).effective
        if wanted != existing { add(.setFLS(source: source, field: key, access: wanted)) }
    }

    /// The user's own permission set (held by no one else, and valid for them), or a new
    /// `<Integration>_Access` one, created and assigned.
    mutating func ownPermissionSet() -> String {
        if let ownSet { return ownSet }
        let valid = Set(AccessEvaluator(org: org, now: now).evaluate(user).sources.map(\.id))
        let owned = FixPlan.ownPermissionSets(of: user, in: org).filter {
            valid.contains(PermissionSource.id(.permissionSet, $0))
        }.sorted()
        let preferred = FixPlan.permissionSetName(for: user)
        if let own = owned.first(where: { $0 == preferred }) ?? owned.first {
            ownSet = own
            return own
        }
        var name = preferred
        if org.permissionSets[name] != nil {
            name = name.replacingOccurrences(of: "_Access", with: "_Fix_Access")
        }
        plan.newPermissionSets.append(
            PermissionSet(
                name: name, label: name.replacingOccurrences(of: "_", with: " "),
                description: "Access for \(user.username), generated by keyhole fix."))
        add(.assign(user: user.username, permissionSet: name))
        ownSet = name
        return name
    }

    // MARK: 5. Licence, order, leftovers

    /// A new permission set is licence-independent (`LIC-7`) when the user's licence and permission set
    /// licences allow everything it grants; otherwise it is bound to a permission set licence that does,
    /// so assigning it assigns that licence (`LIC-8`).
    mutating func chooseLicense() {
        guard let i = plan.newPermissionSets.indices.first else { return }
        let name = plan.newPermissionSets[i].name
        let (base, org, username, now) = (plan, org, user.username, now)
        func refusal(_ license: String?) -> InvalidAssignment? {
            var trial = base
            trial.newPermissionSets[i].license = license
            guard let after = try? trial.apply(to: org), let me = after.user(named: username) else {
                return nil
            }
            return AccessEvaluator(org: after, now: now).evaluate(me).invalidAssignments.first {
                $0.kind == .permissionSet && $0.name == name
            }
        }
        guard let refused = refusal(nil) else { return }
        let candidates = org.permissionSetLicenses.values.filter {
            $0.userLicenses.isEmpty || $0.userLicenses.contains(user.license)
        }.map(\.name).sorted()
        for psl in candidates where refusal(psl) == nil {
            plan.newPermissionSets[i].license = psl
            note(
                "permissionSet:\(name) is bound to the permission set licence \(psl): \(user.username)'s licence alone does not allow what it grants, and assigning a set bound to a permission set licence assigns that licence too (LIC-8)."
            )
            return
        }
        note(
            "permissionSet:\(name) cannot be assigned to \(user.username) (\(refused.rule)): \(refused.message)"
        )
    }

    /// Assignments, then user permissions, profiles, other permission sets, muting, and the user's own
    /// permission set last; within each, by source, then object or field (an object before its fields).
    /// Changes to the same entry keep the order they were planned in.
    mutating func orderChanges() {
        let own = ownSet.map { PermissionSource.id(.permissionSet, $0) }
        func rank(_ change: OrgChange) -> (Int, String, String) {
            switch change {
            case .assign, .assignGroup, .unassign: return (0, change.source, "")
            case .removeUserPermission(let source, let permission): return (1, source, permission)
            case .mute(let group, let field, _): return (4, group, field)
            case .muteObject(let group, let object, _): return (4, group, object)
            case .setFLS(let source, let key, _), .setObjectAccess(let source, let key, _):
                return (source.hasPrefix("profile:") ? 2 : source == own ? 5 : 3, source, key)
            }
        }
        plan.changes = plan.changes.enumerated().map { (rank($0.element), $0.offset, $0.element) }
            .sorted { ($0.0.0, $0.0.1, $0.0.2, $0.1) < ($1.0.0, $1.0.1, $1.0.2, $1.1) }.map(\.2)
    }

    /// Error findings the plan leaves and no note explains yet.
    mutating func noteLeftovers() {
        guard let after = current() else { return }
        let report = Audit(evaluator: AccessEvaluator(org: after, now: now), policy: policy, now: now)
            .run(user: user.username)
        for finding in report.findings where finding.severity == .error {
            if let object = finding.object, let field = finding.field,
                explained.contains(FieldPath.key(object: object, field: field))
            {
                continue
            }
            if explained.contains("\(finding.rule.rawValue) \(finding.source ?? "")") { continue }
            note("\(finding.rule.rawValue) left: \(finding.message) Fix: \(finding.fix)")
        }
    }
}
