/// A child subquery's SQL, to run for a batch of parent Ids (`query(parentIds:)`). Rows come back ordered
/// by parent, then by the subquery's `ORDER BY`; `LIMIT` applies per parent.
public struct ChildStatement: Hashable, Sendable {
    /// The child relationship name as Salesforce spells it (`Contacts`).
    public var relationshipName: String
    /// The select item of the outer query this fills.
    public var item: Int
    let prefix: SQLFragment
    let suffix: SQLFragment
    public var columns: [ResultColumn]

    /// The statement for these parents; each Id is a parameter.
    public func query(parentIds: [String]) -> GeneratedQuery {
        let placeholders =
            parentIds.isEmpty ? "NULL" : Array(repeating: "?", count: parentIds.count).joined(separator: ", ")
        return GeneratedQuery(
            sql: prefix.sql + "(" + placeholders + ")" + suffix.sql,
            parameters: prefix.parameters + parentIds.map { .text($0) } + suffix.parameters, columns: columns)
    }
}
