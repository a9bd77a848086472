import AccessModel
import Foundation

extension KeyholeFile {
    /// The `keyhole.yaml` text for an org's people: every user, and the group members that are not a
    /// user's own membership. Reading it back gives the same users and groups.
    public static func render(org: Org, dataFolder: String? = nil) -> String {
        var out = "users:\n"
        out.reserveCapacity(org.users.count * 220)
        for user in org.users {
            out += "  - username: \(scalar(user.username))\n"
            if let name = user.name { out += "    name: \(scalar(name))\n" }
            if let id = user.id { out += "    id: \(scalar(id))\n" }
            out += "    license: \(scalar(user.license))\n"
            out += "    profile: \(scalar(user.profile))\n"
            if let role = user.role { out += "    role: \(scalar(role))\n" }
            if !user.permissionSetLicenses.isEmpty {
                out += "    permissionSetLicenses: \(list(user.permissionSetLicenses))\n"
            }
            if !user.permissionSets.isEmpty {
                out += "    permissionSets: \(assignments(user.permissionSets))\n"
            }
            if !user.permissionSetGroups.isEmpty {
                out += "    permissionSetGroups: \(assignments(user.permissionSetGroups))\n"
            }
            if !user.groups.isEmpty { out += "    groups: \(list(user.groups))\n" }
            if !user.isActive { out += "    active: false\n" }
        }
        let groups = org.groups.values.sorted { $0.name < $1.name }.compactMap {
            group -> (String, [String])? in
            let members = group.members.compactMap { member -> String? in
                if case .user = member { return nil }
                return member.description
            }
            return members.isEmpty ? nil : (group.name, members)
        }
        if !groups.isEmpty {
            out += "groups:\n"
            for (name, members) in groups {
                out += "  - name: \(scalar(name))\n    members: \(list(members))\n"
            }
        }
        if let dataFolder { out += "data: \(scalar(dataFolder))\n" }
        return out
    }

    static func assignments(_ assignments: [Assignment]) -> String {
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        let items = assignments.map { assignment in
            guard let expires = assignment.expirationDate else { return scalar(assignment.name) }
            return "{name: \(scalar(assignment.name)), expires: \(day.string(from: expires))}"
        }
        return "[" + items.joined(separator: ", ") + "]"
    }

    static func list(_ items: [String]) -> String { "[" + items.map(scalar).joined(separator: ", ") + "]" }

    /// A YAML scalar, quoted only when plain style would change its meaning.
    static func scalar(_ text: String) -> String {
        let special = CharacterSet(charactersIn: ":#[]{},&*!|>'\"%@`")
        let plain =
            !text.isEmpty && text.rangeOfCharacter(from: special) == nil
            && text.trimmingCharacters(in: .whitespaces) == text
            && !["true", "false", "null", "yes", "no", "~"].contains(text.lowercased())
            && Double(text) == nil && !text.hasPrefix("-") && !text.hasPrefix("?")
        if plain { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
