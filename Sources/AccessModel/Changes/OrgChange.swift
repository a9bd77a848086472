import Foundation

/// One change to an org's access configuration, made in memory: what `explain --assign/--set-fls/…`
/// evaluates "as if", what `diff` compares, and what `fix` writes back. Pure: `apply` changes a value.
///
/// Changes follow Salesforce's own semantics: field and user permissions are switched off with explicit
/// `false` entries (never deleted, so a deploy revokes them), muting lives in the group's muting set
/// (created when the group has none, `PSG-2`), and assignments the licence would refuse are still made
/// here — the evaluator reports them as refused (`§0.2`, `LIC-6`…`LIC-9`).
public enum OrgChange: Hashable, Sendable {
    /// Assigns a permission set to a user.
    case assign(user: String, permissionSet: String)
    /// Assigns a permission set group to a user.
    case assignGroup(user: String, group: String)
    /// Removes an assignment: `source` is `permissionSet:NAME` or `permissionSetGroup:NAME`.
    case unassign(user: String, source: String)
    /// Mutes a field (`Object.Field`) in the group's muting set: `.read` mutes read and edit, `.edit`
    /// mutes edit only (`PSG-2`, `PSG-5`). Only what the group's own permission sets give is removed
    /// (`PSG-3`).
    case mute(group: String, field: String, access: FieldAccessKind = .read)
    /// Mutes object permissions in the group's muting set (`PSG-5`: dependants go with them).
    case muteObject(group: String, object: String, access: ObjectAccess)
    /// Sets a field permission of `profile:P` or `permissionSet:S` to exactly `access`; `.none` writes an
    /// explicit `readable=false, editable=false` entry (`FLS-5`: a false profile entry removes the field).
    case setFLS(source: String, field: String, access: FieldAccess)
    /// Sets the object permissions of `profile:P` or `permissionSet:S` on `object` to exactly `access`,
    /// which must hold its own dependencies (`OBJ-2`).
    case setObjectAccess(source: String, object: String, access: ObjectAccess)
    /// Switches off a user permission of `profile:P` or `permissionSet:S` (`enabled=false`).
    case removeUserPermission(source: String, permission: String)

    /// The user the change is about, when it is an assignment change.
    public var user: String? {
        switch self {
        case .assign(let user, _), .assignGroup(let user, _), .unassign(let user, _): user
        default: nil
        }
    }

    /// The permission source the change edits or (un)assigns, as `kind:NAME`.
    public var source: String {
        switch self {
        case .assign(_, let set): PermissionSource.id(.permissionSet, set)
        case .assignGroup(_, let group): PermissionSource.id(.permissionSetGroup, group)
        case .unassign(_, let source): source
        case .mute(let group, _, _), .muteObject(let group, _, _):
            PermissionSource.id(.permissionSetGroup, group)
        case .setFLS(let source, _, _), .setObjectAccess(let source, _, _),
            .removeUserPermission(let source, _):
            source
        }
    }

    /// The change in `explain`'s command-line spelling (`--set-fls profile:P/Contact.SSN__c=none`);
    /// `nil` for changes the command line does not offer (object muting, object access, user permissions).
    public var commandLine: String? {
        switch self {
        case .assign(let user, let set): "--user \(user) --assign permissionSet:\(set)"
        case .assignGroup(let user, let group): "--user \(user) --assign permissionSetGroup:\(group)"
        case .unassign(let user, let source): "--user \(user) --unassign \(source)"
        case .mute(let group, let field, let access):
            "--mute permissionSetGroup:\(group)/\(field)\(access == .edit ? "=edit" : "")"
        case .setFLS(let source, let field, let access):
            "--set-fls \(source)/\(field)=\(OrgChange.fieldAccessText(access))"
        case .muteObject, .setObjectAccess, .removeUserPermission: nil
        }
    }

    /// A sentence for reports: `set profile:P Contact.SSN__c to none`.
    public var summary: String {
        switch self {
        case .assign(let user, let set): "assign permissionSet:\(set) to \(user)"
        case .assignGroup(let user, let group): "assign permissionSetGroup:\(group) to \(user)"
        case .unassign(let user, let source): "unassign \(source) from \(user)"
        case .mute(let group, let field, let access):
            "mute \(access == .edit ? "edit on " : "")\(field) in permissionSetGroup:\(group)"
        case .muteObject(let group, let object, let access):
            "mute \(OrgChange.accessText(access)) on \(object) in permissionSetGroup:\(group)"
        case .setFLS(let source, let field, let access):
            "set \(source) \(field) to \(OrgChange.fieldAccessText(access))"
        case .setObjectAccess(let source, let object, let access):
            "set \(source) \(object) to \(OrgChange.accessText(access))"
        case .removeUserPermission(let source, let permission):
            "switch off \(permission) in \(source)"
        }
    }

    /// `none`, `read` or `edit`.
    public static func fieldAccessText(_ access: FieldAccess) -> String {
        access.editable ? "edit" : (access.readable ? "read" : "none")
    }

    /// `read,create,edit` (lower-case labels in `ObjectAccess.named` order) or `none`.
    public static func accessText(_ access: ObjectAccess) -> String {
        let order: [(ObjectAccess, String)] = [
            (.read, "read"), (.create, "create"), (.edit, "edit"), (.delete, "delete"),
            (.viewAllRecords, "viewAll"), (.modifyAllRecords, "modifyAll"), (.viewAllFields, "viewAllFields"),
        ]
        let names = order.filter { access.contains($0.0) }.map(\.1)
        return names.isEmpty ? "none" : names.joined(separator: ",")
    }

    /// Applies every change in order to a copy of `org`; on the first error `org` is left unchanged.
    public static func apply(_ changes: [OrgChange], to org: inout Org) throws(OrgChangeError) {
        var copy = org
        for change in changes { try change.apply(to: &copy) }
        org = copy
    }

    /// Applies the change to `org`. Throws, leaving `org` unchanged, for unknown users, sources, objects
    /// and fields (with a did-you-mean hint), and for changes Salesforce would refuse to save.
    public func apply(to org: inout Org) throws(OrgChangeError) {
        switch self {
        case .assign(let username, let set):
            let u = try Self.userIndex(username, in: org)
            let name = try Self.name(set, in: org.permissionSets.keys, kind: "permission set")
            guard !org.users[u].permissionSets.contains(where: { $0.name == name }) else {
                throw OrgChangeError(
                    .alreadyAssigned,
                    "\(org.users[u].username) already has permission set \(name)")
            }
            org.users[u].permissionSets.append(Assignment(name: name))
        case .assignGroup(let username, let group):
            let u = try Self.userIndex(username, in: org)
            let name = try Self.name(group, in: org.permissionSetGroups.keys, kind: "permission set group")
            guard !org.users[u].permissionSetGroups.contains(where: { $0.name == name }) else {
                throw OrgChangeError(
                    .alreadyAssigned,
                    "\(org.users[u].username) already has permission set group \(name)")
            }
            org.users[u].permissionSetGroups.append(Assignment(name: name))
        case .unassign(let username, let source):
            let u = try Self.userIndex(username, in: org)
            let user = org.users[u]
            let assigned =
                user.permissionSets.map { PermissionSource.id(.permissionSet, $0.name) }
                + user.permissionSetGroups.map { PermissionSource.id(.permissionSetGroup, $0.name) }
            guard let (kind, name) = Self.splitSource(source) else {
                throw OrgChangeError(
                    .syntax,
                    "'\(source)' is not an assignment; write permissionSet:NAME or permissionSetGroup:NAME",
                    suggestion: Suggestion.closest(to: source, in: assigned))
            }
            switch kind {
            case .permissionSet:
                guard let i = user.permissionSets.firstIndex(where: { $0.name == name }) else {
                    throw Self.notAssigned(source, user: user, assigned: assigned)
                }
                org.users[u].permissionSets.remove(at: i)
            case .permissionSetGroup:
                guard let i = user.permissionSetGroups.firstIndex(where: { $0.name == name }) else {
                    throw Self.notAssigned(source, user: user, assigned: assigned)
                }
                org.users[u].permissionSetGroups.remove(at: i)
            case .profile:
                throw OrgChangeError(
                    .notAssigned,
                    "a profile cannot be unassigned: every user has exactly one (\(user.username) has profile:\(user.profile))"
                )
            }
        case .mute(let groupName, let path, let access):
            let group = try Self.name(
                groupName, in: org.permissionSetGroups.keys, kind: "permission set group")
            let key = try Self.fieldKey(path, in: org)
            let muting = Self.mutingSet(of: group, in: &org)
            var entry = org.mutingPermissionSets[muting]!.mutes.fields[key] ?? .none
            if access == .read { entry.readable = true } else { entry.editable = true }
            org.mutingPermissionSets[muting]!.mutes.fields[key] = entry
        case .muteObject(let groupName, let objectName, let access):
            let group = try Self.name(
                groupName, in: org.permissionSetGroups.keys, kind: "permission set group")
            let object = try Self.objectName(objectName, in: org)
            let muting = Self.mutingSet(of: group, in: &org)
            let existing = org.mutingPermissionSets[muting]!.mutes.objects[object] ?? []
            org.mutingPermissionSets[muting]!.mutes.objects[object] = existing.union(access)
        case .setFLS(let source, let path, let access):
            let key = try Self.fieldKey(path, in: org)
            let (object, fieldName) = FieldPath.split(key)!
            let field = org.objects[object]!.fields[fieldName]!
            if !field.isFLSControllable || field.isAlwaysReadable && !access.readable {
                throw OrgChangeError(
                    .fieldNotControllable,
                    "\(key) is always readable when \(object) is (FLS-6); Salesforce allows no field permission on it"
                )
            }
            if access.editable && !field.isWritableType {
                throw OrgChangeError(
                    .fieldNotWritable,
                    "\(key) is never editable (a formula, roll-up, auto-number, audit or compound field, FLS-7); set it to read or none"
                )
            }
            try Self.editGrants(source, in: &org) { $0.fields[key] = access.effective }
        case .setObjectAccess(let source, let objectName, let access):
            let object = try Self.objectName(objectName, in: org)
            let missing = access.missingDependencies
            guard missing.isEmpty else {
                throw OrgChangeError(
                    .objectDependency,
                    "\(OrgChange.accessText(access)) on \(object) also needs \(OrgChange.accessText(missing)) (OBJ-2); Salesforce refuses to save it"
                )
            }
            try Self.editGrants(source, in: &org) { $0.objects[object] = access }
        case .removeUserPermission(let source, let permission):
            var thrown: OrgChangeError?
            try Self.editGrants(source, in: &org) { grants in
                let enabled = grants.enabledUserPermissions
                let name =
                    enabled.contains(permission)
                    ? permission
                    : enabled.first { $0.caseInsensitiveCompare(permission) == .orderedSame }
                guard let name else {
                    thrown = OrgChangeError(
                        .notGranted, "\(source) does not enable user permission \(permission)",
                        suggestion: Suggestion.closest(to: permission, in: enabled))
                    return
                }
                grants.userPermissions[name] = false
            }
            if let thrown { throw thrown }
        }
    }

    // MARK: - Lookups

    static func userIndex(_ username: String, in org: Org) throws(OrgChangeError) -> Int {
        if let i = org.users.firstIndex(where: {
            $0.username.caseInsensitiveCompare(username) == .orderedSame
        }) {
            return i
        }
        throw OrgChangeError(
            .unknownUser, "no user '\(username)' in the org",
            suggestion: Suggestion.closest(to: username, in: org.users.map(\.username)))
    }

    /// The name as the org spells it (exact, then case-insensitive), or an error with a hint.
    static func name(_ name: String, in known: some Collection<String>, kind: String) throws(OrgChangeError)
        -> String
    {
        if known.contains(name) { return name }
        if let match = known.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
            return match
        }
        throw OrgChangeError(
            .unknownSource, "the org has no \(kind) '\(name)'",
            suggestion: Suggestion.closest(to: name, in: known))
    }

    static func objectName(_ name: String, in org: Org) throws(OrgChangeError) -> String {
        if let object = org.object(named: name) { return object.name }
        throw OrgChangeError(
            .unknownObject, "the org has no object '\(name)'",
            suggestion: Suggestion.closest(to: name, in: org.objects.keys))
    }

    /// `Object.Field` as the org spells it.
    static func fieldKey(_ path: String, in org: Org) throws(OrgChangeError) -> String {
        guard let (rawObject, fieldName) = FieldPath.split(path) else {
            throw OrgChangeError(.syntax, "'\(path)' is not a field; write Object.Field (Contact.SSN__c)")
        }
        let object = try Self.objectName(rawObject, in: org)
        let fields = org.objects[object]!.fields
        if fields[fieldName] != nil { return FieldPath.key(object: object, field: fieldName) }
        if let match = fields.keys.first(where: { $0.caseInsensitiveCompare(fieldName) == .orderedSame }) {
            return FieldPath.key(object: object, field: match)
        }
        throw OrgChangeError(
            .unknownField, "\(object) has no field '\(fieldName)'",
            suggestion: Suggestion.closest(to: fieldName, in: fields.keys).map {
                FieldPath.key(object: object, field: $0)
            })
    }

    /// `profile:NAME` → (.profile, NAME); nil when the prefix is not a source kind.
    public static func splitSource(_ source: String) -> (PermissionSource.Kind, String)? {
        guard let colon = source.firstIndex(of: ":") else { return nil }
        let prefix = source[..<colon]
        let name = String(source[source.index(after: colon)...])
        guard !name.isEmpty else { return nil }
        for kind in [PermissionSource.Kind.profile, .permissionSet, .permissionSetGroup]
        where kind.rawValue.caseInsensitiveCompare(prefix) == .orderedSame {
            return (kind, name)
        }
        return nil
    }

    static func notAssigned(_ source: String, user: User, assigned: [String]) -> OrgChangeError {
        OrgChangeError(
            .notAssigned,
            "\(user.username) is not assigned \(source)"
                + (assigned.isEmpty ? " (they have no permission sets or groups)" : ""),
            suggestion: Suggestion.closest(to: source, in: assigned))
    }

    /// Runs `edit` on the grants of `profile:P` or `permissionSet:S`.
    static func editGrants(
        _ source: String, in org: inout Org, _ edit: (inout PermissionGrants) -> Void
    ) throws(OrgChangeError) {
        let known =
            org.profiles.keys.map { PermissionSource.id(.profile, $0) }
            + org.permissionSets.keys.map { PermissionSource.id(.permissionSet, $0) }
        guard let (kind, rawName) = splitSource(source), kind != .permissionSetGroup else {
            throw OrgChangeError(
                .syntax,
                "'\(source)' is not a profile or permission set; write profile:NAME or permissionSet:NAME (a group has no permissions of its own: change one of its permission sets or its muting set)",
                suggestion: Suggestion.closest(to: source, in: known))
        }
        switch kind {
        case .profile:
            let name = try Self.name(rawName, in: org.profiles.keys, kind: "profile")
            edit(&org.profiles[name]!.grants)
        default:
            let name = try Self.name(rawName, in: org.permissionSets.keys, kind: "permission set")
            edit(&org.permissionSets[name]!.grants)
        }
    }

    /// The group's muting set, created (`GROUP_Muting`) and attached when it has none.
    static func mutingSet(of group: String, in org: inout Org) -> String {
        if let existing = org.permissionSetGroups[group]!.mutingPermissionSet {
            if org.mutingPermissionSets[existing] == nil {
                org.mutingPermissionSets[existing] = MutingPermissionSet(name: existing, label: existing)
            }
            return existing
        }
        var name = "\(group)_Muting"
        var n = 2
        while org.mutingPermissionSets[name] != nil {
            name = "\(group)_Muting\(n)"
            n += 1
        }
        org.mutingPermissionSets[name] = MutingPermissionSet(name: name, label: "\(group) Muting")
        org.permissionSetGroups[group]!.mutingPermissionSet = name
        return name
    }
}
