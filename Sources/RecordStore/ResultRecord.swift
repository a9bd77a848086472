/// A record as the REST API returns it: its type and Id (for `attributes`), then its fields in SELECT
/// order with canonical API-name casing (`rest-api.md` §4.2).
public struct ResultRecord: Hashable, Sendable {
    /// Object API name, or `AggregateResult` for aggregate rows.
    public var type: String
    /// The record Id, for `attributes.url`; `nil` for aggregate rows.
    public var id: String?
    public var fields: [ResultField]

    public init(type: String, id: String?, fields: [ResultField] = []) {
        self.type = type
        self.id = id
        self.fields = fields
    }

    /// The value of the field or relationship `name` (exact casing), if present.
    public subscript(name: String) -> ResultValue? { fields.first { $0.name == name }?.value }

    /// `attributes.url` for an API version (`"62.0"`): `/services/data/v62.0/sobjects/Account/001…`;
    /// `nil` for aggregate rows.
    public func url(apiVersion: String) -> String? {
        id.map { "/services/data/v\(apiVersion)/sobjects/\(type)/\($0)" }
    }
}

/// One key of a result record.
public struct ResultField: Hashable, Sendable {
    /// Field API name, relationship name (`Owner`, `Contacts`), alias or `exprN`.
    public var name: String
    public var value: ResultValue

    public init(name: String, value: ResultValue) {
        self.name = name
        self.value = value
    }
}
