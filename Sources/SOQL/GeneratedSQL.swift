/// The SQL for a whole SOQL query.
public struct GeneratedSQL: Hashable, Sendable {
    /// The rows (or, for `COUNT()`, one row with the count).
    public var main: GeneratedQuery
    /// One row with the number of rows `main` returns (`totalSize`).
    public var count: GeneratedQuery
    /// One statement per child subquery, run per batch of parent Ids.
    public var children: [ChildStatement]
}
