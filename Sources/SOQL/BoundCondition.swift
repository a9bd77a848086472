import Foundation

/// A condition, bound: values are typed for the field they are compared with.
public indirect enum BoundCondition: Hashable, Sendable {
    case and([BoundCondition])
    case or([BoundCondition])
    case not(BoundCondition)
    case comparison(BoundOperand, Comparison.Operator, [BoundValue])
    /// `field [NOT] IN (SELECT …)`.
    case semiJoin(BoundField, negated: Bool, BoundQuery)
}

/// A literal converted for the field it is compared with.
public enum BoundValue: Hashable, Sendable {
    case null
    case text(String)
    case integer(Int64)
    case real(Double)
    case boolean(Bool)
    /// `YYYY-MM-DD`.
    case date(String)
    case dateTime(Date)
    case relativeDate(RelativeDate)
    /// A `LIKE` pattern in SQL form: `%` and `_` are wildcards, `\` escapes.
    case likePattern(String)
}
