import Foundation

/// A Salesforce org as values: schema, permission sources, sharing configuration and people.
/// One loaded `Org` feeds every command; nothing re-derives access outside the evaluator.
public struct Org: Hashable, Sendable {
    public var objects: [String: SObjectType]
    public var profiles: [String: Profile]
    public var permissionSets: [String: PermissionSet]
    public var permissionSetGroups: [String: PermissionSetGroup]
    public var mutingPermissionSets: [String: MutingPermissionSet]
    public var roles: [String: Role]
    public var groups: [String: PublicGroup]
    public var sharingRules: [SharingRule]
    public var restrictionRules: [String: RestrictionRule]
    public var userLicenses: [String: UserLicense]
    public var permissionSetLicenses: [String: PermissionSetLicense]
    /// In the order they were declared.
    public var users: [User] {
        get { storedUsers }
        // In place (a `didSet` copied the array on every append), and the directory starts over.
        _modify {
            yield &storedUsers
            userDirectory = UserDirectory()
        }
    }
    private var storedUsers: [User]
    /// Usernames → positions in `users`, built on first lookup.
    private(set) var userDirectory = UserDirectory()
    /// Record data (`sf data tree` JSON or CSV), for record access.
    public var records: RecordSet
    /// Manual shares (`REC-17`).
    public var manualShares: [ManualShare]

    public init(
        objects: [String: SObjectType] = [:], profiles: [String: Profile] = [:],
        permissionSets: [String: PermissionSet] = [:],
        permissionSetGroups: [String: PermissionSetGroup] = [:],
        mutingPermissionSets: [String: MutingPermissionSet] = [:], roles: [String: Role] = [:],
        groups: [String: PublicGroup] = [:], sharingRules: [SharingRule] = [],
        restrictionRules: [String: RestrictionRule] = [:], userLicenses: [String: UserLicense] = [:],
        permissionSetLicenses: [String: PermissionSetLicense] = [:], users: [User] = [],
        records: RecordSet = RecordSet(), manualShares: [ManualShare] = []
    ) {
        self.objects = objects
        self.profiles = profiles
        self.permissionSets = permissionSets
        self.permissionSetGroups = permissionSetGroups
        self.mutingPermissionSets = mutingPermissionSets
        self.roles = roles
        self.groups = groups
        self.sharingRules = sharingRules
        self.restrictionRules = restrictionRules
        self.userLicenses = userLicenses
        self.permissionSetLicenses = permissionSetLicenses
        self.storedUsers = users
        self.records = records
        self.manualShares = manualShares
    }

    /// Builds the username table now rather than on the first lookup (`Project.load` does, once the
    /// users are read: every command looks users up by name).
    public func indexUsers() { _ = userDirectory.table(users) }

    /// The user named `username`, case-insensitively.
    public func user(named username: String) -> User? { userIndex(named: username).map { users[$0] } }

    /// The position in `users` of the user named `username`, case-insensitively; the first of two
    /// users with the same name.
    public func userIndex(named username: String) -> Int? { userDirectory.index(of: username, in: users) }

    public func field(_ object: String, _ field: String) -> Field? { objects[object]?.fields[field] }

    /// Looks an object up by API name, case-insensitively as Salesforce does.
    public func object(named name: String) -> SObjectType? {
        if let exact = objects[name] { return exact }
        return objects.values.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    public var fieldCount: Int { objects.values.reduce(0) { $0 + $1.fields.count } }
}
