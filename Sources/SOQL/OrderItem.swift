/// `ORDER BY operand [ASC|DESC] [NULLS FIRST|LAST]`.
public struct OrderItem: Hashable, Sendable {
    public enum Direction: String, Hashable, Sendable { case ascending = "ASC", descending = "DESC" }
    public enum Nulls: String, Hashable, Sendable { case first = "FIRST", last = "LAST" }

    public var operand: Operand
    public var direction: Direction?
    public var nulls: Nulls?

    public init(_ operand: Operand, direction: Direction? = nil, nulls: Nulls? = nil) {
        self.operand = operand
        self.direction = direction
        self.nulls = nulls
    }
}
