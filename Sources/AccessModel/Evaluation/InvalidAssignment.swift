/// An assignment Salesforce would refuse (`LIC-6`…`LIC-9`, `PSG-7`). It is not a source.
public struct InvalidAssignment: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case profile, permissionSet, permissionSetGroup
    }
    public var kind: Kind
    public var name: String
    /// The rule that refuses it (`LIC-7`).
    public var rule: String
    /// Salesforce's message where known (`Can't assign permission set …`).
    public var message: String

    public init(kind: Kind, name: String, rule: String, message: String) {
        self.kind = kind
        self.name = name
        self.rule = rule
        self.message = message
    }

    /// `permissionSet:NAME` etc.
    public var source: String { "\(kind.rawValue):\(name)" }
}
