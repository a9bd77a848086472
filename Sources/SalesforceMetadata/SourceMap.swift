/// Where a component or one of its entries was read: a file relative to the project root, and a line.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }
    public var description: String { line.map { "\(file):\($0)" } ?? file }
}

/// Where each loaded component and permission entry came from, so findings and generated fixes can name
/// "the file and line where the change goes".
///
/// Component keys: `profile:NAME`, `permissionSet:NAME`, `permissionSetGroup:NAME`,
/// `mutingPermissionSet:NAME`, `object:NAME`, `field:Object.Field`, `sharingRule:Object.Name`, `role:NAME`,
/// `group:NAME`, `restrictionRule:NAME`.
public struct SourceMap: Sendable, Equatable {
    /// The permission entries whose lines are recorded.
    public enum Entry: String, Hashable, Sendable, CaseIterable {
        /// Keyed by `Object.Field`.
        case fieldPermissions
        /// Keyed by object API name.
        case objectPermissions
        /// Keyed by permission name.
        case userPermissions
    }

    struct EntryKey: Hashable, Sendable {
        var component: String
        var entry: Entry
        var key: String
    }

    /// Every file that defined each component, in the order they were applied (the main package first).
    public private(set) var components: [String: [SourceLocation]] = [:]
    private var entries: [EntryKey: SourceLocation] = [:]

    public init() {}

    public static func key(_ kind: MetadataKind, _ name: String) -> String {
        switch kind {
        case .sharingRules: "sharingRule:\(name)"
        default: "\(kind.rawValue):\(name)"
        }
    }

    /// The first (main) file that defines `component` (`profile:Admin`): where a new entry goes.
    public func location(of component: String) -> SourceLocation? { components[component]?.first }

    /// Every file that defines `component`, in the order they were merged.
    public func locations(of component: String) -> [SourceLocation] { components[component] ?? [] }

    /// The location of the entry that is in effect (the last one merged): e.g.
    /// `entry(in: "profile:Admin", .fieldPermissions, "Account.Phone")`.
    public func entry(in component: String, _ entry: Entry, _ key: String) -> SourceLocation? {
        entries[EntryKey(component: component, entry: entry, key: key)]
    }

    /// The number of entry locations recorded.
    public var entryCount: Int { entries.count }

    public mutating func addComponent(_ component: String, _ location: SourceLocation) {
        components[component, default: []].append(location)
    }

    /// Replaces a recorded location of `component` (a folder placeholder) by a more precise one, or adds it.
    public mutating func replaceComponent(
        _ component: String, _ old: SourceLocation, with new: SourceLocation
    ) {
        if let index = components[component]?.firstIndex(of: old) {
            components[component]?[index] = new
        } else {
            addComponent(component, new)
        }
    }

    public mutating func setEntry(
        in component: String, _ entry: Entry, _ key: String, _ location: SourceLocation
    ) {
        entries[EntryKey(component: component, entry: entry, key: key)] = location
    }
}
