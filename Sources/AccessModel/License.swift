/// Which objects a licence (or permission set licence) lets a user reach (`LIC-4`, `LIC-5`).
public struct ObjectScope: Hashable, Sendable {
    /// Every object.
    public var all: Bool
    /// Custom objects (`__c`) and the other custom kinds.
    public var customObjects: Bool
    /// Standard objects named explicitly.
    public var objects: Set<String>

    public init(all: Bool = false, customObjects: Bool = false, objects: Set<String> = []) {
        self.all = all
        self.customObjects = customObjects
        self.objects = objects
    }

    public static let everything = ObjectScope(all: true)

    public func allows(_ object: SObjectType) -> Bool {
        all || objects.contains(object.name) || (customObjects && object.isCustom)
    }

    public func allows(objectNamed name: String, isCustom: Bool) -> Bool {
        all || objects.contains(name) || (customObjects && isCustom)
    }
}

/// Which user (system) permissions a licence allows.
public struct PermissionScope: Hashable, Sendable {
    public var all: Bool
    public var permissions: Set<String>
    public init(all: Bool = false, permissions: Set<String> = []) {
        self.all = all
        self.permissions = permissions
    }
    public static let everything = PermissionScope(all: true)
    public func allows(_ permission: String) -> Bool { all || permissions.contains(permission) }
}

/// A user licence (`Salesforce`, `Salesforce Platform`, `Salesforce Integration`, …).
public struct UserLicense: Hashable, Sendable {
    public var name: String
    public var objects: ObjectScope
    public var userPermissions: PermissionScope
    /// Profiles usable with this licence, when the licence restricts them (`LIC-1`).
    public var profiles: Set<String>
    /// True for the *Salesforce Integration* licence (`LIC-1`).
    public var isIntegration: Bool
    /// User permissions the licence forces on and locks (`ApiUserOnly` on the integration licence, `LIC-3`).
    public var lockedUserPermissions: Set<String>
    /// True for community, portal and guest licences: the external org-wide default applies (`REC-3`).
    public var isExternal: Bool = false

    public init(
        name: String, objects: ObjectScope = .everything, userPermissions: PermissionScope = .everything,
        profiles: Set<String> = [], isIntegration: Bool = false, lockedUserPermissions: Set<String> = []
    ) {
        self.name = name
        self.objects = objects
        self.userPermissions = userPermissions
        self.profiles = profiles
        self.isIntegration = isIntegration
        self.lockedUserPermissions = lockedUserPermissions
    }
}

/// A permission set licence: raises the ceiling of what a user may be granted, grants nothing itself (`LIC-5`).
public struct PermissionSetLicense: Hashable, Sendable {
    /// Developer name (`SalesforceAPIIntegrationPsl`).
    public var name: String
    public var label: String?
    /// User licences it can be assigned with (empty = any).
    public var userLicenses: Set<String>
    public var objects: ObjectScope
    public var userPermissions: PermissionScope

    public init(
        name: String, label: String? = nil, userLicenses: Set<String> = [],
        objects: ObjectScope = ObjectScope(),
        userPermissions: PermissionScope = PermissionScope()
    ) {
        self.name = name
        self.label = label
        self.userLicenses = userLicenses
        self.objects = objects
        self.userPermissions = userPermissions
    }
}
