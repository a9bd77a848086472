/// A permission set. Grants only, never denies (`LIC-10`).
public struct PermissionSet: Hashable, Sendable {
    public var name: String
    public var label: String?
    public var description: String?
    /// `license`: a user licence name (`LIC-6`), a permission set licence (`LIC-8`), or `nil` for
    /// licence-independent (`--None--`, `LIC-7`).
    public var license: String?
    public var hasActivationRequired: Bool
    public var grants: PermissionGrants

    public init(
        name: String, label: String? = nil, description: String? = nil, license: String? = nil,
        hasActivationRequired: Bool = false, grants: PermissionGrants = PermissionGrants()
    ) {
        self.name = name
        self.label = label
        self.description = description
        self.license = license
        self.hasActivationRequired = hasActivationRequired
        self.grants = grants
    }
}

/// A muting permission set: same shape as a permission set, but each `true` turns the permission off for
/// the one group it belongs to (`PSG-2`, `PSG-3`). It cannot be assigned.
public struct MutingPermissionSet: Hashable, Sendable {
    public var name: String
    public var label: String?
    public var description: String?
    public var mutes: PermissionGrants

    public init(
        name: String, label: String? = nil, description: String? = nil,
        mutes: PermissionGrants = PermissionGrants()
    ) {
        self.name = name
        self.label = label
        self.description = description
        self.mutes = mutes
    }
}

/// A permission set group: the union of its permission sets minus its muting set (`PSG-1`…`PSG-4`).
public struct PermissionSetGroup: Hashable, Sendable {
    public var name: String
    public var label: String?
    public var description: String?
    public var permissionSets: [String]
    /// At most one (`PSG-2`).
    public var mutingPermissionSet: String?
    public var hasActivationRequired: Bool
    /// `Updated`, `Outdated`, `Updating`, `Failed` (`PSG-6`).
    public var status: String?

    public init(
        name: String, label: String? = nil, description: String? = nil, permissionSets: [String] = [],
        mutingPermissionSet: String? = nil, hasActivationRequired: Bool = false, status: String? = nil
    ) {
        self.name = name
        self.label = label
        self.description = description
        self.permissionSets = permissionSets
        self.mutingPermissionSet = mutingPermissionSet
        self.hasActivationRequired = hasActivationRequired
        self.status = status
    }
}
