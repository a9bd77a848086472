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
        /// A malformed Id literal in a filter (`invalid ID field: abc`; the code is unverified, §3).
        case invalidQueryFilterOperator = "INVALID_QUERY_FILTER_OPERATOR"
    }

    public var code: Code
    /// The `message` of the REST error body: for positioned errors the query line, a caret under the
    /// offending token, `ERROR at Row:R:Column:C`, then `detail`.
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

    /// An error about the token at `position` of `query` (or, without a position, just `detail`).
    public init(code: Code, detail: String, position: SourcePosition?, query: String) {
        guard let position else {
            self.init(code, detail)
            return
        }
        let lines = query.split(separator: "\n", omittingEmptySubsequences: false)
        let text = position.line - 1 < lines.count ? String(lines[position.line - 1]) : ""
        let caret = String(repeating: " ", count: max(0, position.column - 1)) + "^"
        self.init(
            code, "\n\(text)\n\(caret)\nERROR at Row:\(position.line):Column:\(position.column)\n\(detail)",
            line: position.line, column: position.column)
    }

    /// The `errorCode` of the REST error body.
    public var errorCode: String { code.rawValue }

    /// The last line of the message: what is wrong (`No such column 'X' on entity 'Y'. …`).
    public var detail: String {
        message.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    // MARK: Salesforce's messages

    /// `unexpected token: 'X'`; the first token of a query is reported without quotes or position.
    static func unexpected(_ token: Token, isFirst: Bool, query: String) -> SOQLError {
        let text =
            token.kind == .endOfInput ? "<EOF>" : token.kind == .string ? "'\(token.text)'" : token.text
        if isFirst {
            return SOQLError(
                code: .malformedQuery, detail: "unexpected token: \(text)", position: nil, query: query)
        }
        return SOQLError(
            code: .malformedQuery, detail: "unexpected token: '\(text)'", position: token.position,
            query: query)
    }

    static func malformed(_ detail: String, at position: SourcePosition?, query: String) -> SOQLError {
        SOQLError(code: .malformedQuery, detail: detail, position: position, query: query)
    }

    static func noSuchColumn(_ field: String, entity: String, at position: SourcePosition, query: String)
        -> SOQLError
    {
        SOQLError(
            code: .invalidField,
            detail:
                "No such column '\(field)' on entity '\(entity)'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
            position: position, query: query)
    }

    static func unknownRelationship(_ name: String, at position: SourcePosition, query: String)
        -> SOQLError
    {
        SOQLError(
            code: .invalidField,
            detail:
                "Didn't understand relationship '\(name)' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
            position: position, query: query)
    }

    static func unknownChildRelationship(_ name: String, at position: SourcePosition, query: String)
        -> SOQLError
    {
        SOQLError(
            code: .invalidType,
            detail:
                "Didn't understand relationship '\(name)' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
            position: position, query: query)
    }

    static func unsupportedType(_ object: String, at position: SourcePosition, query: String) -> SOQLError {
        SOQLError(
            code: .invalidType,
            detail:
                "sObject type '\(object)' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
            position: position, query: query)
    }

    static func invalidField(_ detail: String, at position: SourcePosition, query: String) -> SOQLError {
        SOQLError(code: .invalidField, detail: detail, position: position, query: query)
    }
}
