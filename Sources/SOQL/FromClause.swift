/// `FROM Object [alias]` (in a child subquery, `Object` is a child relationship name).
public struct FromClause: Hashable, Sendable {
    public var name: String
    public var alias: String?
    @NotCompared public var position: SourcePosition

    public init(
        name: String, alias: String? = nil, position: SourcePosition = SourcePosition(line: 1, column: 1)
    ) {
        self.name = name
        self.alias = alias
        self.position = position
    }
}
