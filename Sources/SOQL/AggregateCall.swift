/// An aggregate function.
public enum AggregateFunction: String, Hashable, Sendable, CaseIterable {
    case count = "COUNT", countDistinct = "COUNT_DISTINCT", max = "MAX", min = "MIN", sum = "SUM", avg = "AVG"
}

/// `FUNCTION(field)`; `COUNT()` has no argument.
public struct AggregateCall: Hashable, Sendable, CustomStringConvertible {
    public var function: AggregateFunction
    public var argument: FieldReference?
    @NotCompared public var position: SourcePosition

    public init(
        _ function: AggregateFunction, _ argument: FieldReference?,
        position: SourcePosition = SourcePosition(line: 1, column: 1)
    ) {
        self.function = function
        self.argument = argument
        self.position = position
    }

    public var description: String { "\(function.rawValue)(\(argument?.description ?? ""))" }
}
