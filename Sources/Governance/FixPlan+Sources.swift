import AccessModel
import Foundation

/// Who holds a permission source, which sources are a user's own, and how a new one is named.
extension FixPlan {
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

    /// `permissionSetGroup:G/permissionSet:P` → (G, P); nil for any other source name.
    static func groupMember(_ source: String) -> (group: String, permissionSet: String)? {
        let prefix = "permissionSetGroup:"
        guard source.hasPrefix(prefix), let slash = source.range(of: "/permissionSet:") else { return nil }
        let group = String(source[source.index(source.startIndex, offsetBy: prefix.count)..<slash.lowerBound])
        let set = String(source[slash.upperBound...])
        return group.isEmpty || set.isEmpty ? nil : (group, set)
    }
}
