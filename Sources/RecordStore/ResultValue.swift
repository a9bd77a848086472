/// A field value formatted as Salesforce returns it (`rest-api.md` §4.2): datetimes as
/// `2024-01-01T10:00:00.000+0000`, dates as `2024-01-01`, times as `10:00:00.000Z` (all `.string`),
/// integers and doubles as JSON numbers, checkboxes as booleans; a parent that is empty or hidden is
/// `.null`.
public enum ResultValue: Hashable, Sendable {
    case null
    case string(String)
    case integer(Int64)
    case double(Double)
    case boolean(Bool)
    /// A parent relationship (`Owner`, `Account`): a nested record with `attributes`.
    case record(ResultRecord)
    /// An address or location compound field: component keys (`city`, `street`, `latitude`, …) without
    /// `attributes`.
    case compound([ResultField])
    /// A child relationship subquery (`Contacts`): a nested query result.
    case subquery(QueryResult)

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as CSV/text (Bulk API 2.0 rules: empty for null, `true`/`false`); `nil` for nested
    /// records, compounds and subqueries.
    public var text: String? {
        switch self {
        case .null: ""
        case .string(let s): s
        case .integer(let i): String(i)
        case .double(let d): ResultValue.format(d)
        case .boolean(let b): b ? "true" : "false"
        case .record, .compound, .subquery: nil
        }
    }

    /// A double as JSON text: integral values keep one decimal (`12500000.0`), others the shortest
    /// form that reads back equal.
    public static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) + ".0" }
        return String(d)
    }
}
