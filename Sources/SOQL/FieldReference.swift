/// A dotted path: relationship names, then a field (`Account.Owner.Name`).
public struct FieldReference: Hashable, Sendable, CustomStringConvertible {
    public var components: [String]
    @NotCompared public var position: SourcePosition

    public init(_ components: [String], position: SourcePosition = SourcePosition(line: 1, column: 1)) {
        self.components = components
        self.position = position
    }

    public var description: String { components.joined(separator: ".") }
}
