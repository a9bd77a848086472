/// `ORDER BY`, bound.
public struct BoundOrderItem: Hashable, Sendable {
    public var operand: BoundOperand
    public var direction: OrderItem.Direction?
    public var nulls: OrderItem.Nulls?
}

/// A field or an aggregate of one.
public enum BoundOperand: Hashable, Sendable {
    case field(BoundField)
    case aggregate(AggregateFunction, BoundField?)

    public var field: BoundField? {
        switch self {
        case .field(let f): f
        case .aggregate(_, let f): f
        }
    }
}
