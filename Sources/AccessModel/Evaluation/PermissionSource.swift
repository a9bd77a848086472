import Foundation

/// One valid permission source of a user (`§0.1`): the profile, a directly assigned permission set, or an
/// assigned permission set group (whose members are listed as their own source names).
public struct PermissionSource: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case profile, permissionSet, permissionSetGroup
    }

    public var kind: Kind
    /// Metadata name of the profile, permission set or group.
    public var name: String
    /// Public source name: `profile:NAME`, `permissionSet:NAME`, `permissionSetGroup:NAME`.
    public var id: String
    /// For a group: its members as `permissionSetGroup:G/permissionSet:P`.
    public var members: [String]
    /// For a group: its muting permission set.
    public var mutingPermissionSet: String?
    /// Licence of a permission set (`nil` = licence-independent).
    public var license: String?
    public var expirationDate: Date?

    public init(
        kind: Kind, name: String, members: [String] = [], mutingPermissionSet: String? = nil,
        license: String? = nil, expirationDate: Date? = nil
    ) {
        self.kind = kind
        self.name = name
        self.id = PermissionSource.id(kind, name)
        self.members = members
        self.mutingPermissionSet = mutingPermissionSet
        self.license = license
        self.expirationDate = expirationDate
    }

    /// The public naming of sources in reasons and JSON.
    public static func id(_ kind: Kind, _ name: String) -> String { "\(kind.rawValue):\(name)" }
    public static func member(group: String, permissionSet: String) -> String {
        "permissionSetGroup:\(group)/permissionSet:\(permissionSet)"
    }
    public static func mutedBy(group: String) -> String { "mutedBy:permissionSetGroup:\(group)" }
    public static func license(_ name: String) -> String { "license:\(name)" }
}
