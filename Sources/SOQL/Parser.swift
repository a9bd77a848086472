/// Recursive-descent parser for the supported SOQL subset (`rest-api.md` §4, P0 and P1). Anything else is
/// a `MALFORMED_QUERY` at the offending token, in Salesforce's wording (`unexpected token: 'FOO'`).
struct Parser {
    let text: String
    private var tokens: [Token] = []
    private var index = 0
    private var lexError: SOQLError?

    /// Words that end an item and so cannot be aliases.
    static let reserved: Set<String> = [
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IN", "INCLUDES", "EXCLUDES", "GROUP", "BY",
        "HAVING", "ORDER", "LIMIT", "OFFSET", "USING", "SCOPE", "WITH", "NULLS", "ASC", "DESC", "FOR", "TRUE",
        "FALSE", "NULL", "FIRST", "LAST", "TYPEOF", "END", "UPDATE", "VIEW", "REFERENCE", "ALL", "ROLLUP",
        "CUBE",
    ]

    init(_ text: String) {
        self.text = text
        do {
            tokens = try Lexer(text).tokens()
        } catch {
            lexError = error
        }
    }

    mutating func parseQuery() throws(SOQLError) -> Query {
        if let lexError { throw lexError }
        let query = try query(depth: 0)
        try expectEnd()
        return query
    }

    // MARK: Tokens

    private var current: Token { tokens[index] }
    private var next: Token { tokens[min(index + 1, tokens.count - 1)] }

    private mutating func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func unexpected(_ token: Token? = nil) -> SOQLError {
        let token = token ?? current
        return SOQLError.unexpected(token, isFirst: token.position == tokens[0].position, query: text)
    }

    private mutating func accept(_ keyword: String) -> Bool {
        if current.isKeyword(keyword) {
            index += 1
            return true
        }
        return false
    }

    private mutating func expect(_ keyword: String) throws(SOQLError) {
        guard accept(keyword) else { throw unexpected() }
    }

    private mutating func expect(_ kind: Token.Kind) throws(SOQLError) -> Token {
        guard current.kind == kind else { throw unexpected() }
        return advance()
    }

    private func expectEnd() throws(SOQLError) {
        guard current.kind == .endOfInput else { throw unexpected() }
    }

    private mutating func name() throws(SOQLError) -> Token {
        guard current.kind == .identifier, !Parser.reserved.contains(current.text.uppercased()) else {
            throw unexpected()
        }
        return advance()
    }

    // MARK: Query

    /// depth 0: the outer query; 1: a child subquery or a semi-join (no further nesting).
    private mutating func query(depth: Int) throws(SOQLError) -> Query {
        try expect("SELECT")
        var select: [SelectItem] = []
        repeat {
            select.append(try selectItem(depth: depth))
        } while accept(Token.Kind.comma)
        try expect("FROM")
        let objectToken = try name()
        var from = FromClause(name: objectToken.text, position: objectToken.position)
        if let alias = optionalAlias() { from.alias = alias }
        var query = Query(select: select, from: from)
        if accept("USING") {
            try expect("SCOPE")
            query.scope = try name().text
        }
        if accept("WHERE") { query.whereClause = try condition(depth: depth, allowAggregates: false) }
        if current.isKeyword("WITH") {
            let with = advance()
            if accept("SECURITY_ENFORCED") {
                query.security = .securityEnforced
            } else if accept("USER_MODE") {
                query.security = .userMode
            } else {
                throw unexpected(current.kind == .endOfInput ? with : current)
            }
        }
        if accept("GROUP") {
            try expect("BY")
            if current.isKeyword("ROLLUP") || current.isKeyword("CUBE") { throw unexpected() }
            repeat {
                query.groupBy.append(try fieldPath())
            } while accept(Token.Kind.comma)
        }
        if accept("HAVING") { query.having = try condition(depth: depth, allowAggregates: true) }
        if accept("ORDER") {
            try expect("BY")
            repeat {
                query.orderBy.append(try orderItem())
            } while accept(Token.Kind.comma)
        }
        if accept("LIMIT") { query.limit = try count() }
        if accept("OFFSET") { query.offset = try count() }
        return query
    }

    private mutating func accept(_ kind: Token.Kind) -> Bool {
        if current.kind == kind {
            index += 1
            return true
        }
        return false
    }

    private mutating func count() throws(SOQLError) -> Int {
        guard current.kind == .number, let value = Int(current.text), value >= 0 else { throw unexpected() }
        index += 1
        return value
    }

    private mutating func optionalAlias() -> String? {
        if current.kind == .identifier, !Parser.reserved.contains(current.text.uppercased()) {
            return advance().text
        }
        return nil
    }

    private mutating func selectItem(depth: Int) throws(SOQLError) -> SelectItem {
        if current.kind == .leftParen {
            guard depth == 0, next.isKeyword("SELECT") else { throw unexpected(next) }
            index += 1
            let sub = try query(depth: 1)
            _ = try expect(.rightParen)
            return .subquery(sub)
        }
        if let call = try aggregateCall() {
            return .aggregate(call, alias: optionalAlias())
        }
        let path = try fieldPath()
        return .field(path, alias: optionalAlias())
    }

    private mutating func aggregateCall() throws(SOQLError) -> AggregateCall? {
        guard current.kind == .identifier, next.kind == .leftParen else { return nil }
        guard let function = AggregateFunction(rawValue: current.text.uppercased()) else {
            throw unexpected()
        }
        let start = advance()
        index += 1
        var argument: FieldReference?
        if current.kind != .rightParen {
            argument = try fieldPath()
        } else if function != .count {
            throw unexpected()
        }
        _ = try expect(.rightParen)
        return AggregateCall(function, argument, position: start.position)
    }

    private mutating func fieldPath() throws(SOQLError) -> FieldReference {
        let first = try name()
        var components = [first.text]
        while current.kind == .dot {
            index += 1
            guard current.kind == .identifier else { throw unexpected() }
            components.append(advance().text)
        }
        if components.count > 6 { throw unexpected(first) }
        return FieldReference(components, position: first.position)
    }

    private mutating func orderItem() throws(SOQLError) -> OrderItem {
        let operand: Operand
        if let call = try aggregateCall() {
            operand = .aggregate(call)
        } else {
            operand = .field(try fieldPath())
        }
        var item = OrderItem(operand)
        if accept("ASC") {
            item.direction = .ascending
        } else if accept("DESC") {
            item.direction = .descending
        }
        if accept("NULLS") {
            if accept("FIRST") {
                item.nulls = .first
            } else if accept("LAST") {
                item.nulls = .last
            } else {
                throw unexpected()
            }
        }
        return item
    }

    // MARK: Conditions

    /// `a AND b AND c` or `a OR b OR c`; mixing the two without parentheses is refused, as in Salesforce.
    private mutating func condition(depth: Int, allowAggregates: Bool) throws(SOQLError) -> Condition {
        let first = try unary(depth: depth, allowAggregates: allowAggregates)
        var items = [first]
        var connective: String?
        while current.isKeyword("AND") || current.isKeyword("OR") {
            let word = current.text.uppercased()
            if let connective, connective != word { throw unexpected() }
            connective = word
            index += 1
            items.append(try unary(depth: depth, allowAggregates: allowAggregates))
        }
        guard let connective else { return first }
        return connective == "AND" ? .and(items) : .or(items)
    }

    private mutating func unary(depth: Int, allowAggregates: Bool) throws(SOQLError) -> Condition {
        if accept("NOT") { return .not(try unary(depth: depth, allowAggregates: allowAggregates)) }
        if current.kind == .leftParen {
            index += 1
            let inner = try condition(depth: depth, allowAggregates: allowAggregates)
            _ = try expect(.rightParen)
            return inner
        }
        return .comparison(try comparison(depth: depth, allowAggregates: allowAggregates))
    }

    private mutating func comparison(depth: Int, allowAggregates: Bool) throws(SOQLError) -> Comparison {
        let operand: Operand
        if allowAggregates, let call = try aggregateCall() {
            operand = .aggregate(call)
        } else {
            operand = .field(try fieldPath())
        }
        let opToken = current
        if current.kind == .operator {
            index += 1
            let op: Comparison.Operator =
                switch opToken.text {
                case "=": .equal
                case "!=", "<>": .notEqual
                case "<": .less
                case "<=": .lessOrEqual
                case ">": .greater
                default: .greaterOrEqual
                }
            return Comparison(operand, op, .literal(try literal()), position: opToken.position)
        }
        if accept("LIKE") {
            return Comparison(operand, .like, .literal(try literal()), position: opToken.position)
        }
        if accept("NOT") {
            try expect("IN")
            return Comparison(operand, .notIn, try listOrSubquery(depth: depth), position: opToken.position)
        }
        if accept("IN") {
            return Comparison(operand, .in, try listOrSubquery(depth: depth), position: opToken.position)
        }
        if accept("INCLUDES") {
            return Comparison(operand, .includes, .list(try list()), position: opToken.position)
        }
        if accept("EXCLUDES") {
            return Comparison(operand, .excludes, .list(try list()), position: opToken.position)
        }
        throw unexpected()
    }

    private mutating func listOrSubquery(depth: Int) throws(SOQLError) -> ComparisonValue {
        if current.kind == .leftParen, next.isKeyword("SELECT") {
            guard depth == 0 else { throw unexpected(next) }
            index += 1
            let sub = try query(depth: 1)
            _ = try expect(.rightParen)
            return .subquery(sub)
        }
        return .list(try list())
    }

    private mutating func list() throws(SOQLError) -> [Literal] {
        _ = try expect(.leftParen)
        var items: [Literal] = []
        repeat {
            items.append(try literal())
        } while accept(Token.Kind.comma)
        _ = try expect(.rightParen)
        return items
    }

    private mutating func literal() throws(SOQLError) -> Literal {
        let token = current
        switch token.kind {
        case .string:
            index += 1
            return .string(raw: token.text, value: token.value ?? token.text)
        case .number:
            index += 1
            return .number(token.text)
        case .date:
            index += 1
            return .date(token.text)
        case .dateTime:
            index += 1
            return .dateTime(token.text)
        case .dateLiteral:
            guard let literal = RelativeDate(text: token.text) else { throw unexpected() }
            index += 1
            return .relativeDate(literal)
        case .identifier:
            switch token.text.uppercased() {
            case "TRUE": index += 1; return .boolean(true)
            case "FALSE": index += 1; return .boolean(false)
            case "NULL": index += 1; return .null
            default: throw unexpected()
            }
        default:
            throw unexpected()
        }
    }
}
