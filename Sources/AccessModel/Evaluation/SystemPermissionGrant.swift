/// A user (system) permission the user holds, with every source (`ApiEnabled`, `ViewAllData`, …).
public struct SystemPermissionGrant: Hashable, Sendable, Codable {
    public var name: String
    /// Public source names; `license:NAME` for permissions the licence locks on.
    public var sources: [String]
    public var reasons: [Reason]

    public init(name: String, sources: [String], reasons: [Reason]) {
        self.name = name
        self.sources = sources
        self.reasons = reasons
    }
}
