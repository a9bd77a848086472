import Foundation

/// A user, with everything assigned to them. People are data, not metadata: they come from
/// `keyhole.yaml` or an org export.
public struct User: Hashable, Sendable {
    public var username: String
    public var name: String?
    /// Salesforce user Id when known (from an org export).
    public var id: String?
    /// User licence name (`Salesforce Integration`).
    public var license: String
    /// Profile metadata name.
    public var profile: String
    public var role: String?
    public var isActive: Bool
    public var permissionSets: [Assignment]
    public var permissionSetGroups: [Assignment]
    /// Permission set licence developer names.
    public var permissionSetLicenses: [String]
    /// Public groups the user is a direct member of.
    public var groups: [String]
    /// Internal (standard, integration) or external (community, portal) user: `REC-3`.
    public var isExternal: Bool

    public init(
        username: String, name: String? = nil, id: String? = nil, license: String, profile: String,
        role: String? = nil, isActive: Bool = true, permissionSets: [Assignment] = [],
        permissionSetGroups: [Assignment] = [], permissionSetLicenses: [String] = [], groups: [String] = [],
        isExternal: Bool = false
    ) {
        self.username = username
        self.name = name
        self.id = id
        self.license = license
        self.profile = profile
        self.role = role
        self.isActive = isActive
        self.permissionSets = permissionSets
        self.permissionSetGroups = permissionSetGroups
        self.permissionSetLicenses = permissionSetLicenses
        self.groups = groups
        self.isExternal = isExternal
    }
}

extension User {
    /// The user's 18-character Id: `id` when the project gives one, else one derived from the username.
    /// Records' `OwnerId`, the served `User` rows and sessions all use it.
    public var recordId: String {
        id.flatMap(RecordId.normalize) ?? RecordId.make(object: "User", referenceId: username)
    }
}

/// A permission set or permission set group assignment (`PSG-8`); an expired one is not a source.
public struct Assignment: Hashable, Sendable {
    public var name: String
    public var expirationDate: Date?
    public init(name: String, expirationDate: Date? = nil) {
        self.name = name
        self.expirationDate = expirationDate
    }
    public func isActive(at date: Date) -> Bool { expirationDate.map { $0 > date } ?? true }
}
