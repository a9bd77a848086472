import AccessModel

extension MetadataPatch {
    /// The file edits that write `change` into the metadata: the component whose file changes, as a
    /// `SourceMap` key (`profile:P`, `permissionSet:S`, `mutingPermissionSet:M`), and its edits. `org` is
    /// the org *after* `OrgChange.apply`, which holds the entries' full values and canonical names.
    ///
    /// `nil` for assignment changes: assignments are data (`keyhole.yaml`), not metadata. When a mute
    /// created the group's muting set, the component has no file yet (`SourceMap.location(of:)` is nil):
    /// write it whole with `MetadataWriter.mutingPermissionSet`, and patch the group's file with
    /// `groupEdits(for:before:after:)`.
    public static func edits(for change: OrgChange, in org: Org) -> (component: String, edits: [Edit])? {
        switch change {
        case .assign, .assignGroup, .unassign:
            return nil
        case .setFLS(let source, let field, _):
            guard let (component, grants) = grants(of: source, in: org),
                let key = match(field, grants.fields.keys)
            else { return nil }
            return (component, [.fieldPermission(field: key, access: grants.fields[key]!)])
        case .setObjectAccess(let source, let object, _):
            guard let (component, grants) = grants(of: source, in: org),
                let key = match(object, grants.objects.keys)
            else { return nil }
            return (component, [.objectPermission(object: key, access: grants.objects[key]!)])
        case .removeUserPermission(let source, let permission):
            guard let (component, grants) = grants(of: source, in: org),
                let key = match(permission, grants.userPermissions.keys)
            else { return nil }
            return (component, [.userPermission(name: key, enabled: grants.userPermissions[key]!)])
        case .mute(let group, let field, _):
            guard let (name, mutes) = muting(of: group, in: org), let key = match(field, mutes.fields.keys)
            else {
                return nil
            }
            return ("mutingPermissionSet:\(name)", [.fieldPermission(field: key, access: mutes.fields[key]!)])
        case .muteObject(let group, let object, _):
            guard let (name, mutes) = muting(of: group, in: org), let key = match(object, mutes.objects.keys)
            else {
                return nil
            }
            return (
                "mutingPermissionSet:\(name)", [.objectPermission(object: key, access: mutes.objects[key]!)]
            )
        }
    }

    /// The edit to the group's own file when `change` mutes in a group that had no muting permission set
    /// (`OrgChange` created one, `PSG-2`): `permissionSetGroup:G` and a `<mutingPermissionSets>` naming it.
    /// `nil` for other changes and for groups that already had one. `before` is the org before the
    /// change, `after` after it.
    public static func groupEdits(for change: OrgChange, before: Org, after: Org) -> (
        component: String, edits: [Edit]
    )? {
        let group: String
        switch change {
        case .mute(let name, _, _), .muteObject(let name, _, _): group = name
        default: return nil
        }
        guard let key = match(group, after.permissionSetGroups.keys),
            before.permissionSetGroups[key]?.mutingPermissionSet == nil,
            let muting = after.permissionSetGroups[key]?.mutingPermissionSet
        else { return nil }
        return ("permissionSetGroup:\(key)", [.topLevel(element: "mutingPermissionSets", value: muting)])
    }

    static func match(_ name: String, _ keys: some Collection<String>) -> String? {
        keys.contains(name) ? name : keys.first { $0.caseInsensitiveCompare(name) == .orderedSame }
    }

    static func grants(of source: String, in org: Org) -> (String, PermissionGrants)? {
        guard let (kind, name) = OrgChange.splitSource(source) else { return nil }
        switch kind {
        case .profile:
            guard let key = match(name, org.profiles.keys) else { return nil }
            return ("profile:\(key)", org.profiles[key]!.grants)
        case .permissionSet:
            guard let key = match(name, org.permissionSets.keys) else { return nil }
            return ("permissionSet:\(key)", org.permissionSets[key]!.grants)
        case .permissionSetGroup:
            return nil
        }
    }

    static func muting(of group: String, in org: Org) -> (String, PermissionGrants)? {
        guard let key = match(group, org.permissionSetGroups.keys),
            let name = org.permissionSetGroups[key]?.mutingPermissionSet,
            let set = org.mutingPermissionSets[name]
        else { return nil }
        return (name, set.mutes)
    }
}
