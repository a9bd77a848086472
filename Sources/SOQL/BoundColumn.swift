/// One select item, bound.
public indirect enum BoundColumn: Hashable, Sendable {
    /// A field; `outputName` is the field name (or alias in aggregate queries).
    case field(BoundField, outputName: String)
    /// An aggregate; `outputName` is the alias or `exprN`. `COUNT()` has no field.
    case aggregate(AggregateFunction, BoundField?, outputName: String)
    /// A child relationship subquery.
    case child(BoundQuery)
}
