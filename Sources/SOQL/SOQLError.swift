/// A query the API refuses, with Salesforce's own error code and message text (`API-2`…`API-4`,
/// `rest-api.md` §3), so an integration's error handling can be tested locally.
public struct SOQLError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// Bad syntax, or a construct outside the supported subset (HTTP 400).
        case malformedQuery = "MALFORMED_QUERY"
        /// An unknown or unreadable field or relationship (HTTP 400, `API-3`).
        case invalidField = "INVALID_FIELD"
        /// An unknown or unreadable object (HTTP 400, `API-4`).
        case invalidType = "INVALID_TYPE"
    }

    public var code: Code
    public var message: String
    /// 1-based position of the offending token in the query text, when known.
    public var line: Int?
    public var column: Int?

    public init(_ code: Code, _ message: String, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
