import AccessModel

/// A place in the project: a file relative to the project root and, when known, a line.
public struct MetadataLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }
    public var description: String { line.map { "\(file):\($0)" } ?? file }
}

/// Tells findings where a change goes, without Governance reading files: the caller (which owns the
/// source map) answers by closure.
///
/// Component keys are the source map's: `profile:NAME`, `permissionSet:NAME`, `permissionSetGroup:NAME`,
/// `mutingPermissionSet:NAME`, `object:NAME`, `field:Object.Field`.
public struct FindingLocator: Sendable {
    /// The permission entries whose lines are known.
    public enum Entry: String, Hashable, Sendable {
        /// Keyed by `Object.Field`.
        case fieldPermissions
        /// Keyed by object API name.
        case objectPermissions
        /// Keyed by user permission name.
        case userPermissions
    }

    public var component: @Sendable (String) -> MetadataLocation?
    public var entry: @Sendable (_ component: String, _ entry: Entry, _ key: String) -> MetadataLocation?
    /// The `users:` entry of a user in keyhole.yaml.
    public var user: @Sendable (String) -> MetadataLocation?
    /// The policy file (`keyhole.yaml`), for approvals.
    public var policyFile: String?

    public init(
        component: @escaping @Sendable (String) -> MetadataLocation? = { _ in nil },
        entry: @escaping @Sendable (String, Entry, String) -> MetadataLocation? = { _, _, _ in nil },
        user: @escaping @Sendable (String) -> MetadataLocation? = { _ in nil },
        policyFile: String? = "keyhole.yaml"
    ) {
        self.component = component
        self.entry = entry
        self.user = user
        self.policyFile = policyFile
    }

    /// Knows no files.
    public static let none = FindingLocator(policyFile: nil)

    /// The component a public source name lives in: a group member `permissionSetGroup:G/permissionSet:P`
    /// is changed in `permissionSet:P`; `mutedBy:permissionSetGroup:G` in the group's muting set.
    static func component(ofSource source: String, org: Org) -> String? {
        if let slash = source.range(of: "/permissionSet:") {
            return "permissionSet:" + source[slash.upperBound...]
        }
        if source.hasPrefix("mutedBy:permissionSetGroup:") {
            let group = String(source.dropFirst("mutedBy:permissionSetGroup:".count))
            return org.permissionSetGroups[group]?.mutingPermissionSet.map { "mutingPermissionSet:\($0)" }
        }
        if source.hasPrefix("license:") { return nil }
        return source
    }

    /// The entry's location, else the component's file.
    func locate(_ component: String?, _ entry: Entry?, _ key: String?) -> MetadataLocation? {
        guard let component else { return nil }
        if let entry, let key, let found = self.entry(component, entry, key) { return found }
        return self.component(component)
    }
}
