/// A query whose names are resolved against the org and checked against one user's access: every field
/// exists and is readable, every relationship can be followed. The SQL generator works from this.
public struct BoundQuery: Hashable, Sendable {
    /// The syntax tree it was bound from.
    public var query: Query
    /// The queried object's API name (canonical casing).
    public var object: String
    /// The SQL alias of the queried object's table (`t0`, `s1`, `c2`).
    public var alias: String
    /// One per select item, in order.
    public var columns: [BoundColumn]
    /// Every parent hop used by any clause, each joined once (in first-use order).
    public var joins: [ParentHop]
    public var whereClause: BoundCondition?
    public var groupBy: [BoundField]
    public var having: BoundCondition?
    public var orderBy: [BoundOrderItem]
    public var limit: Int?
    public var offset: Int?
    /// For a child subquery: how its rows attach to the parent's.
    public var childLink: RelationshipIndex.Child?

    public var isCountOnly: Bool { query.isCountOnly }
    public var isAggregate: Bool { query.isAggregate }
    /// `USING SCOPE` name, for the executor (`REC-22`).
    public var scope: String? { query.scope }
    /// `WITH SECURITY_ENFORCED` / `WITH USER_MODE`, accepted as a no-op (`API-12`).
    public var security: SecurityClause? { query.security }

    /// The child subqueries among the columns.
    public var childQueries: [BoundQuery] {
        columns.compactMap {
            if case .child(let query) = $0 { return query }
            return nil
        }
    }
}
