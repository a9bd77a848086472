/// Printing back to SOQL: keywords in upper case, single spaces, names as written.
extension Query: CustomStringConvertible {
    public var description: String {
        var parts = ["SELECT " + select.map(\.description).joined(separator: ", ")]
        parts.append("FROM " + from.name + (from.alias.map { " " + $0 } ?? ""))
        if let scope { parts.append("USING SCOPE " + scope) }
        if let whereClause { parts.append("WHERE " + whereClause.description) }
        if let security { parts.append("WITH " + security.rawValue) }
        if !groupBy.isEmpty { parts.append("GROUP BY " + groupBy.map(\.description).joined(separator: ", ")) }
        if let having { parts.append("HAVING " + having.description) }
        if !orderBy.isEmpty { parts.append("ORDER BY " + orderBy.map(\.description).joined(separator: ", ")) }
        if let limit { parts.append("LIMIT \(limit)") }
        if let offset { parts.append("OFFSET \(offset)") }
        return parts.joined(separator: " ")
    }
}

extension SelectItem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .field(let path, let alias): path.description + (alias.map { " " + $0 } ?? "")
        case .aggregate(let call, let alias): call.description + (alias.map { " " + $0 } ?? "")
        case .subquery(let query): "(" + query.description + ")"
        }
    }
}

extension OrderItem: CustomStringConvertible {
    public var description: String {
        var text = operand.description
        if let direction { text += " " + direction.rawValue }
        if let nulls { text += " NULLS " + nulls.rawValue }
        return text
    }
}

extension Condition: CustomStringConvertible {
    public var description: String {
        switch self {
        case .and(let items): items.map(\.grouped).joined(separator: " AND ")
        case .or(let items): items.map(\.grouped).joined(separator: " OR ")
        case .not(let inner): "NOT " + inner.grouped
        case .comparison(let comparison): comparison.description
        }
    }

    /// In parentheses unless a single comparison.
    var grouped: String {
        if case .comparison = self { return description }
        return "(" + description + ")"
    }
}

extension Comparison: CustomStringConvertible {
    public var description: String { "\(operand) \(op.rawValue) \(value)" }
}

extension ComparisonValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .literal(let literal): literal.description
        case .list(let items): "(" + items.map(\.description).joined(separator: ", ") + ")"
        case .subquery(let query): "(" + query.description + ")"
        }
    }
}
