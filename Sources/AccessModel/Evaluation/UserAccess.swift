/// One user's effective access: sources, invalid assignments, system permissions, and object and field
/// access. Bit tests (`objectAccess`, `canRead`, …) are constant-time; decisions with reasons are built on
/// request by the same data that decided.
public struct UserAccess: Sendable {
    public let user: User
    let effective: EffectiveAccess
    let compiled: CompiledOrg

    init(user: User, effective: EffectiveAccess, compiled: CompiledOrg) {
        self.user = user
        self.effective = effective
        self.compiled = compiled
    }

    /// The user's licence name.
    public var license: String { user.license }
    /// False when the org does not define the licence; it is then treated as unrestricted.
    public var isLicenseKnown: Bool { effective.license != nil }
    public var profile: String { user.profile }
    /// The user's name in Salesforce messages (`name`, else `username`).
    var displayName: String { user.name ?? user.username }

    /// Valid permission sources in order: the profile, direct permission sets, groups (with members).
    public var sources: [PermissionSource] {
        effective.sources.map { source in
            switch source {
            case .profile(let name):
                return PermissionSource(kind: .profile, name: name)
            case .permissionSet(let name):
                return PermissionSource(
                    kind: .permissionSet, name: name, license: compiled.org.permissionSets[name]?.license,
                    expirationDate: user.permissionSets.first { $0.name == name }?.expirationDate)
            case .group(let name):
                let group = compiled.group(name)!
                return PermissionSource(
                    kind: .permissionSetGroup, name: name,
                    members: group.members.map { PermissionSource.member(group: name, permissionSet: $0) },
                    mutingPermissionSet: group.muting,
                    expirationDate: user.permissionSetGroups.first { $0.name == name }?.expirationDate)
            }
        }
    }

    /// Assignments Salesforce would refuse, with its message; they are not sources.
    public var invalidAssignments: [InvalidAssignment] {
        effective.invalid.map { $0.assignment(user: displayName) }
    }

    /// Names of assignments that have expired (`PSG-8`); they are not sources.
    public var expiredAssignments: [String] {
        let key = effective.key
        return
            (user.permissionSets.filter { !key.permissionSets.contains($0.name) }.map {
                PermissionSource.id(.permissionSet, $0.name)
            }
            + user.permissionSetGroups.filter { !key.groups.contains($0.name) }.map {
                PermissionSource.id(.permissionSetGroup, $0.name)
            })
    }

    /// Permission set licences in effect: assigned, plus those PSL-bound permission sets bring (`LIC-8`).
    public var permissionSetLicenses: [String] { effective.permissionSetLicenses }

    /// Remarks about the input: unknown licences (treated as unrestricted), missing profiles or sets.
    public var notes: [String] { effective.notes }

    public func hasSystemPermission(_ name: String) -> Bool { effective.userPermissions.contains(name) }

    /// Object permissions on `object` (empty when unknown or not granted).
    public func objectAccess(_ object: String) -> ObjectAccess {
        guard let o = compiled.object(object) else { return [] }
        return effective.access[o]
    }

    /// Objects the user can read, by name.
    public var readableObjects: [String] { effective.readableObjectIndices.map { compiled.objectNames[$0] } }

    /// Readable objects with their access, sorted by name.
    public var objectAccessByName: [(object: String, access: ObjectAccess)] {
        effective.readableObjectIndices.map { (compiled.objectNames[$0], effective.access[$0]) }
    }

    public func canRead(object: String, field: String) -> Bool {
        guard let (o, f) = locate(object, field) else { return false }
        return effective.canRead(o, f, compiled: compiled)
    }

    public func canEdit(object: String, field: String) -> Bool {
        guard let (o, f) = locate(object, field) else { return false }
        return effective.canEdit(o, f, compiled: compiled)
    }

    /// Readable but shown as the Classic encryption mask (`CLS-9`).
    public func isMasked(object: String, field: String) -> Bool {
        guard let (o, f) = locate(object, field) else { return false }
        return effective.isMasked(o, f, compiled: compiled)
    }

    /// Names of the readable fields of `object`, in field order (`Id` first, then by name).
    public func readableFields(of object: String) -> [String] {
        guard let o = compiled.object(object) else { return [] }
        return EffectiveAccess.indices(effective.readable(o, compiled: compiled)).map {
            compiled.fields[o][$0].name
        }
    }

    /// Names of the editable fields of `object`.
    public func editableFields(of object: String) -> [String] {
        guard let o = compiled.object(object) else { return [] }
        return EffectiveAccess.indices(effective.editable(o, compiled: compiled)).map {
            compiled.fields[o][$0].name
        }
    }

    func locate(_ object: String, _ field: String) -> (Int, Int)? {
        guard let o = compiled.object(object), let f = compiled.field(o, field) else { return nil }
        return (o, f)
    }
}
