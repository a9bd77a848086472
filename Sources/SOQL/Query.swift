/// A parsed SOQL query (the syntax tree). It prints back to SOQL (`description`), and printing then
/// parsing gives an equal tree. Source positions are kept for error carets but do not take part in `==`.
public struct Query: Hashable, Sendable {
    public var select: [SelectItem]
    public var from: FromClause
    /// `USING SCOPE name`, kept for the executor (`REC-22`).
    public var scope: String?
    public var whereClause: Condition?
    /// `WITH SECURITY_ENFORCED` / `WITH USER_MODE`: accepted and ignored in REST (`API-12`).
    public var security: SecurityClause?
    public var groupBy: [FieldReference]
    public var having: Condition?
    public var orderBy: [OrderItem]
    public var limit: Int?
    public var offset: Int?

    public init(
        select: [SelectItem], from: FromClause, scope: String? = nil, whereClause: Condition? = nil,
        security: SecurityClause? = nil, groupBy: [FieldReference] = [], having: Condition? = nil,
        orderBy: [OrderItem] = [], limit: Int? = nil, offset: Int? = nil
    ) {
        self.select = select
        self.from = from
        self.scope = scope
        self.whereClause = whereClause
        self.security = security
        self.groupBy = groupBy
        self.having = having
        self.orderBy = orderBy
        self.limit = limit
        self.offset = offset
    }

    /// Parses `text`; anything outside the supported subset is a `MALFORMED_QUERY`.
    public static func parse(_ text: String) throws(SOQLError) -> Query {
        var parser = Parser(text)
        return try parser.parseQuery()
    }

    /// True when the query selects `COUNT()` (the result is only `totalSize`).
    public var isCountOnly: Bool {
        select.contains {
            if case .aggregate(let call, _) = $0, call.function == .count, call.argument == nil {
                return true
            }
            return false
        }
    }

    /// True for `GROUP BY` queries and queries selecting aggregate functions other than `COUNT()`.
    public var isAggregate: Bool {
        !groupBy.isEmpty
            || select.contains {
                if case .aggregate(let call, _) = $0 { return call.argument != nil }
                return false
            }
    }
}

/// `WITH SECURITY_ENFORCED` or `WITH USER_MODE`.
public enum SecurityClause: String, Hashable, Sendable {
    case securityEnforced = "SECURITY_ENFORCED"
    case userMode = "USER_MODE"
}
