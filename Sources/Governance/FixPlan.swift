import AccessModel
import Foundation

/// The least change to an org's access configuration that leaves an integration user with no error
/// finding under the policy: what `keyhole fix` plans, checks and writes. Pure: takes values, returns
/// values.
///
/// The plan, driven by the audit's own findings until none of error severity is left:
/// 1. field permissions that give the user unapproved tier-2/3 access are set to explicit `false` in every
///    profile or permission set that grants them (latent profile entries included, `FLS-5`); entries are
///    never deleted, so a deploy revokes them;
/// 2. fields the user may keep (approved, not expired) that lose their only grant are granted again in the
///    user's own permission set — one only they hold — or in a new `<Integration>_Access` permission set;
/// 3. flagged system permissions (View All Data, Modify All Data) are switched off (`enabled=false`) in the
///    source that grants them when only this user holds it; otherwise a note says what to do instead;
/// 4. fields Salesforce allows no field-level security on (`FLS-6`) are left alone, with a note.
public struct FixPlan: Sendable {
    /// The user the plan is for (canonical username).
    public var user: String
    /// The changes, in the order they apply. Permission sets in `newPermissionSets` must be added to the
    /// org before they apply (see `apply(to:)`).
    public var changes: [OrgChange]
    /// Permission sets the plan creates (written whole, not patched).
    public var newPermissionSets: [PermissionSet]
    /// Why something was left or done differently.
    public var notes: [String]

    public init(user: String, changes: [OrgChange], newPermissionSets: [PermissionSet], notes: [String]) {
        self.user = user
        self.changes = changes
        self.newPermissionSets = newPermissionSets
        self.notes = notes
    }

    /// The org with the plan applied.
    public func apply(to org: Org) throws(OrgChangeError) -> Org {
        var copy = org
        for set in newPermissionSets { copy.permissionSets[set.name] = set }
        try OrgChange.apply(changes, to: &copy)
        return copy
    }

    /// The permission sets the user holds directly that no other user holds, directly or through a group.
    public static func ownPermissionSets(of user: User, in org: Org) -> [String] {
        user.permissionSets.map(\.name).filter { name in
            holders(of: PermissionSource.id(.permissionSet, name), in: org).map { $0.lowercased() }
                == [user.username.lowercased()]
        }
    }

    /// Users who hold `source` (`profile:P`, `permissionSet:S`, `permissionSetGroup:G`), directly or, for a
    /// permission set, through a group.
    public static func holders(of source: String, in org: Org) -> [String] {
        guard let (kind, name) = OrgChange.splitSource(source) else { return [] }
        let groups = org.permissionSetGroups.values.filter { $0.permissionSets.contains(name) }.map(\.name)
        return org.users.filter { user in
            switch kind {
            case .profile: return user.profile == name
            case .permissionSetGroup: return user.permissionSetGroups.contains { $0.name == name }
            case .permissionSet:
                return user.permissionSets.contains { $0.name == name }
                    || user.permissionSetGroups.contains { groups.contains($0.name) }
            }
        }.map(\.username)
    }

    /// `HubSpot_Integration_Access` for a user named "HubSpot Integration"; from the username otherwise.
    public static func permissionSetName(for user: User) -> String {
        var base = user.name ?? String(user.username.split(separator: "@").first ?? "Integration")
        base = base.replacingOccurrences(of: ".", with: " ")
        let words = base.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        var name = words.joined(separator: "_")
        if name.isEmpty { name = "Integration" }
        if name.first?.isNumber == true { name = "X" + name }
        return name + "_Access"
    }

    /// Plans the fix for `username` (case-insensitive). Throws for an unknown user.
    public static func make(org: Org, policy: Policy, user username: String, now: Date = Date())
        throws(OrgChangeError) -> FixPlan
    {
        guard let user = org.user(named: username) else {
            throw OrgChangeError(.unknownUser, "no user '\(username)'")
        }
        var plan = FixPlan(user: user.username, changes: [], newPermissionSets: [], notes: [])
        var noted: Set<String> = []
        func note(_ text: String) { if noted.insert(text).inserted { plan.notes.append(text) } }
        var done: Set<OrgChange> = []
        let beforeEvaluator = AccessEvaluator(org: org, now: now)
        let readBefore = beforeEvaluator.evaluate(user)

        func keep(_ path: String) -> FieldAccessKind? {
            let valid = policy.approvals(user: user.username, field: path).filter { !$0.isExpired(at: now) }
            if valid.contains(where: { $0.access == .edit }) { return .edit }
            return valid.isEmpty ? nil : .read
        }

        for _ in 0..<6 {
            let current: Org
            do { current = try plan.apply(to: org) } catch { break }
            let evaluator = AccessEvaluator(org: current, now: now)
            let report = Audit(evaluator: evaluator, policy: policy, now: now).run(user: user.username)
            let errors = report.findings.filter { $0.severity == .error }
            guard let currentUser = current.user(named: user.username) else { break }
            var next: [OrgChange] = []
            var regrant: [(path: String, access: FieldAccessKind, always: Bool)] = []
            for finding in errors {
                if let object = finding.object, let field = finding.field {
                    let path = FieldPath.key(object: object, field: field)
                    let decision = evaluator.fieldDecision(currentUser, object: object, field: field)
                    if decision.reasons.contains(where: {
                        $0.kind == .alwaysReadable || $0.kind == .alwaysEditable
                    }) {
                        note(
                            "\(path) left as it is: Salesforce allows no field-level security on it (required, master-detail or always readable, FLS-6); \(finding.rule.rawValue) stays until the field is removed from the integration's objects or approved."
                        )
                        continue
                    }
                    // A tier-3 finding means the approvals are not enough (no approver): nothing is kept.
                    let allowed = finding.rule == .tier3Access ? nil : keep(path)
                    let target: FieldAccess =
                        allowed == .edit
                        ? FieldAccess(readable: true, editable: true)
                        : FieldAccess(readable: false, editable: false)
                    var sources = Set(
                        decision.reasons.filter {
                            $0.kind == .grantedBy || $0.kind == .latentProfileFieldPermission
                        }
                        .compactMap(\.source))
                    if let source = finding.source { sources.insert(source) }
                    var changed = false
                    // An approved field the user cannot read: grant it, take nothing away.
                    if finding.rule == .flsQueryWillFail { sources = [] }
                    for source in sources.sorted() {
                        guard let (kind, _) = OrgChange.splitSource(source), kind != .permissionSetGroup
                        else {
                            note("\(path): granted by \(source), which fix cannot patch; \(finding.fix)")
                            continue
                        }
                        if allowed != nil, OrgChange.splitSource(source)?.0 == .permissionSet,
                            ownPermissionSets(of: currentUser, in: current).contains(
                                OrgChange.splitSource(source)!.1)
                        {
                            // The user's own set may keep an approved field, read only.
                            let change = OrgChange.setFLS(
                                source: source, field: path,
                                access: allowed == .read
                                    ? FieldAccess(readable: true, editable: false) : target)
                            if done.insert(change).inserted { next.append(change); changed = true }
                            continue
                        }
                        let change = OrgChange.setFLS(source: source, field: path, access: target)
                        if done.insert(change).inserted {
                            next.append(change)
                            changed = true
                        }
                    }
                    if let allowed, allowed != .edit || target.readable == false {
                        regrant.append((path, allowed, finding.rule == .flsQueryWillFail))
                    }
                    if !changed, sources.isEmpty, finding.rule != .flsQueryWillFail {
                        note(
                            "\(finding.rule.rawValue) on \(path) left: \(finding.message) Fix: \(finding.fix)"
                        )
                    }
                    continue
                }
                let permission: String? =
                    switch finding.rule {
                    case .viewAllData: "ViewAllData"
                    case .modifyAllData: "ModifyAllData"
                    default: nil
                    }
                if let permission {
                    let sources = systemPermissionSources(permission, of: currentUser, in: current)
                    for source in sources {
                        let others = holders(of: source, in: current).filter {
                            $0.caseInsensitiveCompare(user.username) != .orderedSame
                        }
                        if others.isEmpty {
                            let change = OrgChange.removeUserPermission(
                                source: source, permission: permission)
                            if done.insert(change).inserted { next.append(change) }
                        } else {
                            note(
                                "\(permission) left on \(source): it is shared with \(others.sorted().joined(separator: ", ")); move the integration to its own profile or permission set without \(permission), then switch it off there."
                            )
                        }
                    }
                    if sources.isEmpty {
                        note("\(finding.rule.rawValue) left: \(finding.message) Fix: \(finding.fix)")
                    }
                    continue
                }
                note("\(finding.rule.rawValue) left: \(finding.message) Fix: \(finding.fix)")
            }
            // Approved fields that lose their grant are granted again in the user's own permission set.
            if !regrant.isEmpty {
                var trial = plan
                trial.changes += next
                let trialOrg = (try? trial.apply(to: org)) ?? current
                let trialEvaluator = AccessEvaluator(org: trialOrg, now: now)
                for (path, access, always) in regrant {
                    guard let (object, field) = FieldPath.split(path),
                        let trialUser = trialOrg.user(named: user.username),
                        always || readBefore.canRead(object: object, field: field)
                    else { continue }
                    let decision = trialEvaluator.fieldDecision(trialUser, object: object, field: field)
                    if decision.read { continue }
                    let own = ensureOwnPermissionSet(
                        for: trialUser, in: trialOrg, plan: &plan, next: &next, done: &done)
                    let source = PermissionSource.id(.permissionSet, own)
                    let objectAccess = (trialOrg.permissionSets[own]?.grants.objectAccess(object) ?? [])
                        .union(access == .edit ? [.read, .edit] : [.read])
                    let objectChange = OrgChange.setObjectAccess(
                        source: source, object: object, access: objectAccess)
                    let granted = trialOrg.permissionSets[own]?.grants.objectAccess(object) ?? []
                    let required: ObjectAccess = access == .edit ? [.read, .edit] : [.read]
                    if !granted.isSuperset(of: objectAccess),
                        !trialEvaluator.objectDecision(trialUser, object: object).allows(required),
                        done.insert(objectChange).inserted
                    {
                        next.append(objectChange)
                    }
                    let change = OrgChange.setFLS(
                        source: source, field: path,
                        access: FieldAccess(readable: true, editable: access == .edit))
                    if done.insert(change).inserted { next.append(change) }
                }
            }
            if next.isEmpty { break }
            plan.changes += next
        }
        return plan
    }

    /// The user's own permission set, or a new `<Integration>_Access` one (added to `plan` with its
    /// assignment).
    static func ensureOwnPermissionSet(
        for user: User, in org: Org, plan: inout FixPlan, next: inout [OrgChange], done: inout Set<OrgChange>
    ) -> String {
        if let created = plan.newPermissionSets.first { return created.name }
        if let own = ownPermissionSets(of: user, in: org).sorted().first { return own }
        var name = permissionSetName(for: user)
        if org.permissionSets[name] != nil {
            name = name.replacingOccurrences(of: "_Access", with: "_Fix_Access")
        }
        // LIC-7/LIC-8: an Integration-licence user holding the API integration PSL takes a
        // licence-independent set; the PSL itself is what lets it grant objects.
        let set = PermissionSet(
            name: name, label: name.replacingOccurrences(of: "_", with: " "),
            description: "Access for \(user.username), generated by keyhole fix.")
        plan.newPermissionSets.append(set)
        let assign = OrgChange.assign(user: user.username, permissionSet: name)
        done.insert(assign)
        next.insert(assign, at: 0)
        return name
    }

    /// The profile and permission sets of `user` that enable `permission`.
    static func systemPermissionSources(_ permission: String, of user: User, in org: Org) -> [String] {
        var sources: [String] = []
        if org.profiles[user.profile]?.grants.userPermissions[permission] == true {
            sources.append(PermissionSource.id(.profile, user.profile))
        }
        var sets = user.permissionSets.map(\.name)
        for group in user.permissionSetGroups {
            sets += org.permissionSetGroups[group.name]?.permissionSets ?? []
        }
        for set in sets where org.permissionSets[set]?.grants.userPermissions[permission] == true {
            let id = PermissionSource.id(.permissionSet, set)
            if !sources.contains(id) { sources.append(id) }
        }
        return sources
    }
}
