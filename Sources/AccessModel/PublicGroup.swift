/// A public group. Its metadata carries no members; membership is data from `keyhole.yaml` or an org
/// export (`metadata-formats` §4.4).
public struct PublicGroup: Hashable, Sendable {
    /// Developer name (file name).
    public var name: String
    /// `name` element: the label.
    public var label: String?
    public var description: String?
    /// Grant Access Using Hierarchies for the group (`REC-8`).
    public var doesIncludeBosses: Bool
    public var doesSendEmailToMembers: Bool?
    public var members: [GroupMember]

    public init(
        name: String, label: String? = nil, description: String? = nil, doesIncludeBosses: Bool = false,
        doesSendEmailToMembers: Bool? = nil, members: [GroupMember] = []
    ) {
        self.name = name
        self.label = label
        self.description = description
        self.doesIncludeBosses = doesIncludeBosses
        self.doesSendEmailToMembers = doesSendEmailToMembers
        self.members = members
    }
}

/// A member of a public group (`REC-8`).
public enum GroupMember: Hashable, Sendable, CustomStringConvertible {
    case user(String)
    case group(String)
    case role(String)
    case roleAndSubordinates(String)
    case roleAndInternalSubordinates(String)
    case allInternalUsers

    /// The `kind:name` form used in `keyhole.yaml` (`group:Other_Group`, `role:Integration`, …).
    public var description: String {
        switch self {
        case .user(let n): "user:\(n)"
        case .group(let n): "group:\(n)"
        case .role(let n): "role:\(n)"
        case .roleAndSubordinates(let n): "roleAndSubordinates:\(n)"
        case .roleAndInternalSubordinates(let n): "roleAndInternalSubordinates:\(n)"
        case .allInternalUsers: "allInternalUsers"
        }
    }

    /// Parses the `kind:name` form; a bare name is a user.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        if parts.count == 1 {
            if parts[0] == "allInternalUsers" {
                self = .allInternalUsers
                return
            }
            self = .user(parts[0])
            return
        }
        let name = parts[1]
        switch parts[0] {
        case "user": self = .user(name)
        case "group": self = .group(name)
        case "role": self = .role(name)
        case "roleAndSubordinates": self = .roleAndSubordinates(name)
        case "roleAndInternalSubordinates", "roleAndSubordinatesInternal":
            self = .roleAndInternalSubordinates(name)
        default: return nil
        }
    }
}
