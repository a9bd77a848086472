/// A valid permission source of one key: the profile, a direct permission set or a group.
enum ResolvedSource: Hashable, Sendable {
    case profile(String)
    case permissionSet(String)
    case group(String)

    var id: String {
        switch self {
        case .profile(let name): PermissionSource.id(.profile, name)
        case .permissionSet(let name): PermissionSource.id(.permissionSet, name)
        case .group(let name): PermissionSource.id(.permissionSetGroup, name)
        }
    }
}
