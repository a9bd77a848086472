/// One SQL statement: text with `?` placeholders, the values for them in order, and what each result
/// column means.
public struct GeneratedQuery: Hashable, Sendable {
    public var sql: String
    public var parameters: [SQLValue]
    public var columns: [ResultColumn]

    public init(sql: String, parameters: [SQLValue], columns: [ResultColumn]) {
        self.sql = sql
        self.parameters = parameters
        self.columns = columns
    }
}

/// What a result column holds.
public struct ResultColumn: Hashable, Sendable {
    public enum Meaning: Hashable, Sendable {
        /// The value of select item `item`; `component` names the component of a compound field.
        case item(Int, component: String?)
        /// The `Id` of the parent joined for hop `key` (`account.owner`): `NULL` when there is no parent
        /// or the user cannot see it, so the relationship is `null` in the response.
        case parentId(key: String)
        /// The row's own `Id` (to attach child subquery rows).
        case recordId
        /// In a child statement: the parent's `Id` the row belongs to.
        case parentKey
    }

    /// The SQL alias of the column.
    public var name: String
    public var meaning: Meaning
}
