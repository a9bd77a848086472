/// `operand operator value`.
public struct Comparison: Hashable, Sendable {
    public enum Operator: String, Hashable, Sendable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">"
        case greaterOrEqual = ">="
        case like = "LIKE", `in` = "IN", notIn = "NOT IN", includes = "INCLUDES", excludes = "EXCLUDES"
    }

    public var operand: Operand
    public var op: Operator
    public var value: ComparisonValue
    /// Where the operator is (for operator errors).
    @NotCompared public var position: SourcePosition

    public init(
        _ operand: Operand, _ op: Operator, _ value: ComparisonValue,
        position: SourcePosition = SourcePosition(line: 1, column: 1)
    ) {
        self.operand = operand
        self.op = op
        self.value = value
        self.position = position
    }
}

/// The right-hand side of a comparison.
public enum ComparisonValue: Hashable, Sendable {
    case literal(Literal)
    /// `('a', 'b')` for `IN`, `NOT IN`, `INCLUDES`, `EXCLUDES`.
    case list([Literal])
    /// A semi-join or anti-join `(SELECT AccountId FROM Contact …)`.
    case subquery(Query)
}
