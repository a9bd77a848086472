import Foundation

/// Turns a bound query into SQLite SQL (`SQLSchema` layout). Every literal of the query is a `?`
/// parameter; nothing from the query text is spliced into SQL except canonical API names, which come from
/// the org. Record visibility (`API-10`, `REC-19`) is applied to every table read: the queried object
/// (in `WHERE`), each parent (inside the `LEFT JOIN … ON`, so a hidden parent is `NULL`), semi-join
/// subqueries and child subqueries; so hidden records never reach rows, counts or aggregates.
public struct SQLGenerator: Sendable {
    public var schema: SQLSchema
    public var visibility: RecordVisibility
    /// "Now" for relative date literals (`TODAY`, `LAST_N_DAYS:n`), in UTC.
    public var now: Date
    /// `queryAll`: keep soft-deleted rows.
    public var includeDeleted: Bool

    public init(
        schema: SQLSchema = SQLSchema(), visibility: RecordVisibility = .unrestricted, now: Date = Date(),
        includeDeleted: Bool = false
    ) {
        self.schema = schema
        self.visibility = visibility
        self.now = now
        self.includeDeleted = includeDeleted
    }

    public func generate(_ query: BoundQuery) -> GeneratedSQL {
        var sql = SQLText()
        let columns = selectList(query, into: &sql)
        from(query, into: &sql)
        sql.append(" WHERE ")
        filters(query, into: &sql)
        tail(query, into: &sql, tieBreak: true)
        if let limit = query.limit {
            sql.append(" LIMIT ?")
            sql.bind(.integer(Int64(limit)))
        }
        if let offset = query.offset {
            if query.limit == nil { sql.append(" LIMIT -1") }
            sql.append(" OFFSET ?")
            sql.bind(.integer(Int64(offset)))
        }
        let main = GeneratedQuery(sql: sql.text, parameters: sql.parameters, columns: columns)
        let count =
            query.isCountOnly
            ? main
            : GeneratedQuery(
                sql: "SELECT COUNT(*) AS \"count\" FROM (" + main.sql + ")", parameters: main.parameters,
                columns: [ResultColumn(name: "count", meaning: .item(0, component: nil))])
        var children: [ChildStatement] = []
        for (index, column) in query.columns.enumerated() {
            if case .child(let child) = column { children.append(childStatement(child, item: index)) }
        }
        return GeneratedSQL(main: main, count: count, children: children)
    }

    // MARK: Clauses

    private func selectList(_ query: BoundQuery, into sql: inout SQLText) -> [ResultColumn] {
        var parts: [String] = []
        var columns: [ResultColumn] = []
        func add(_ expression: String, _ name: String, _ meaning: ResultColumn.Meaning) {
            parts.append(expression + " AS " + SQLSchema.quote(name))
            columns.append(ResultColumn(name: name, meaning: meaning))
        }
        for (index, column) in query.columns.enumerated() {
            switch column {
            case .field(let field, _):
                if field.components.isEmpty {
                    add(self.column(field), "c\(index)", .item(index, component: nil))
                } else {
                    for component in field.components {
                        add(
                            schema.column(component.name, of: field.tableAlias),
                            "c\(index)_\(component.name)",
                            .item(index, component: component.name))
                    }
                }
            case .aggregate(let function, let field, _):
                add(aggregate(function, field), "c\(index)", .item(index, component: nil))
            case .child:
                continue
            }
        }
        if !query.isAggregate, !query.isCountOnly {
            add(schema.column(schema.idColumn, of: query.alias), "__id", .recordId)
            for hop in query.joins {
                let ids = hop.targets.map { schema.column(schema.idColumn, of: $0.alias) }
                add(
                    ids.count == 1 ? ids[0] : "COALESCE(" + ids.joined(separator: ", ") + ")",
                    "__\(hop.alias)", .parentId(key: hop.key))
            }
        }
        if query.childLink != nil {
            add(schema.column(query.childLink!.field, of: query.alias), "__parent", .parentKey)
        }
        sql.append("SELECT " + parts.joined(separator: ", "))
        return columns
    }

    private func from(_ query: BoundQuery, into sql: inout SQLText) {
        sql.append(" FROM " + schema.table(query.object) + " AS " + SQLSchema.quote(query.alias))
        for hop in query.joins {
            for target in hop.targets {
                sql.append(
                    " LEFT JOIN " + schema.table(target.object) + " AS " + SQLSchema.quote(target.alias)
                        + " ON "
                        + schema.column(schema.idColumn, of: target.alias) + " = "
                        + schema.column(hop.field, of: hop.fromAlias))
                if !includeDeleted {
                    sql.append(" AND " + schema.column(schema.deletedColumn, of: target.alias) + " = 0")
                }
                if let visible = visibility.condition(target.object, target.alias) {
                    sql.append(" AND ")
                    sql.append(visible)
                }
            }
        }
    }

    /// The rows of `query` (not aggregate, not `COUNT()`) whose `Id` is one of `ids`, with the columns of
    /// `generate(query).main` but without `ORDER BY`, `LIMIT` or `OFFSET`: one page of a result whose Ids
    /// `main` listed before (query locators); the caller puts the rows back in the listed order. Deleted
    /// rows, visibility and the query's `WHERE` still apply.
    public func rows(_ query: BoundQuery, ids: [String]) -> GeneratedQuery {
        var sql = SQLText()
        let columns = selectList(query, into: &sql)
        from(query, into: &sql)
        sql.append(" WHERE ")
        let placeholders =
            ids.isEmpty ? "NULL" : Array(repeating: "?", count: ids.count).joined(separator: ", ")
        filters(
            query, into: &sql,
            extra: SQLFragment(
                schema.column(schema.idColumn, of: query.alias) + " IN (" + placeholders + ")",
                ids.map { .text($0) }))
        return GeneratedQuery(sql: sql.text, parameters: sql.parameters, columns: columns)
    }

    /// Deleted rows, visibility, then the query's own `WHERE`.
    private func filters(_ query: BoundQuery, into sql: inout SQLText, extra: SQLFragment? = nil) {
        var first = true
        func and() {
            if !first { sql.append(" AND ") }
            first = false
        }
        if !includeDeleted {
            and()
            sql.append(schema.column(schema.deletedColumn, of: query.alias) + " = 0")
        }
        if let extra {
            and()
            sql.append(extra)
        }
        if let visible = visibility.condition(query.object, query.alias) {
            and()
            sql.append(visible)
        }
        if let condition = query.whereClause {
            and()
            sql.append("(")
            self.condition(condition, into: &sql)
            sql.append(")")
        }
        if first { sql.append("1") }
    }

    private func tail(_ query: BoundQuery, into sql: inout SQLText, tieBreak: Bool) {
        if !query.groupBy.isEmpty {
            sql.append(" GROUP BY " + query.groupBy.map { column($0) }.joined(separator: ", "))
        }
        if let having = query.having {
            sql.append(" HAVING ")
            condition(having, into: &sql)
        }
        var order = query.orderBy.map { item -> String in
            var text: String
            switch item.operand {
            case .field(let field):
                text = column(field) + (FieldKind(field.field) == .text ? " COLLATE NOCASE" : "")
            case .aggregate(let function, let field):
                text = aggregate(function, field)
            }
            if let direction = item.direction { text += " " + direction.rawValue }
            if let nulls = item.nulls { text += " NULLS " + nulls.rawValue }
            return text
        }
        if tieBreak, !query.isAggregate, !query.isCountOnly, !order.isEmpty {
            order.append(schema.column(schema.idColumn, of: query.alias))
        }
        if !order.isEmpty { sql.append(" ORDER BY " + order.joined(separator: ", ")) }
    }

    private func childStatement(_ child: BoundQuery, item: Int) -> ChildStatement {
        var inner = SQLText()
        let columns = selectList(child, into: &inner)
        let link = schema.column(child.childLink!.field, of: child.alias)
        if let limit = child.limit {
            // LIMIT applies per parent: number the rows of each parent in the requested order.
            var order = SQLText()
            tail(child, into: &order, tieBreak: true)
            let orderBy =
                order.text.isEmpty
                ? " ORDER BY " + schema.column(schema.idColumn, of: child.alias) : order.text
            inner.append(", ROW_NUMBER() OVER (PARTITION BY " + link + orderBy + ") AS \"__rn\"")
            from(child, into: &inner)
            inner.append(" WHERE " + link + " IN ")
            var prefix = SQLText()
            prefix.append("SELECT * FROM (")
            prefix.append(SQLFragment(inner.text, inner.parameters))
            var suffix = SQLText()
            suffix.append(" AND ")
            filters(child, into: &suffix)
            suffix.append(") WHERE \"__rn\" <= ? ORDER BY \"__parent\", \"__rn\"")
            suffix.bind(.integer(Int64(limit)))
            return ChildStatement(
                relationshipName: child.childLink!.name, item: item,
                prefix: SQLFragment(prefix.text, prefix.parameters),
                suffix: SQLFragment(suffix.text, suffix.parameters), columns: columns)
        }
        from(child, into: &inner)
        inner.append(" WHERE " + link + " IN ")
        var suffix = SQLText()
        suffix.append(" AND ")
        filters(child, into: &suffix)
        var order = SQLText()
        tail(child, into: &order, tieBreak: true)
        suffix.append(
            order.text.isEmpty
                ? " ORDER BY \"__parent\", " + schema.column(schema.idColumn, of: child.alias)
                : order.text.replacingOccurrences(of: " ORDER BY ", with: " ORDER BY \"__parent\", "))
        return ChildStatement(
            relationshipName: child.childLink!.name, item: item,
            prefix: SQLFragment(inner.text, inner.parameters),
            suffix: SQLFragment(suffix.text, suffix.parameters), columns: columns)
    }

    // MARK: Expressions

    /// The column of a field; after a polymorphic hop, the first non-null of the targets' columns.
    private func column(_ field: BoundField) -> String {
        let columns = ([field.tableAlias] + field.alternativeAliases).map {
            schema.column(field.field.name, of: $0)
        }
        return columns.count == 1 ? columns[0] : "COALESCE(" + columns.joined(separator: ", ") + ")"
    }

    private func aggregate(_ function: AggregateFunction, _ field: BoundField?) -> String {
        guard let field else { return "COUNT(*)" }
        switch function {
        case .countDistinct: return "COUNT(DISTINCT " + column(field) + ")"
        default: return function.rawValue + "(" + column(field) + ")"
        }
    }

    private func condition(_ condition: BoundCondition, into sql: inout SQLText) {
        switch condition {
        case .and(let items), .or(let items):
            let word: String
            if case .and = condition { word = " AND " } else { word = " OR " }
            for (i, item) in items.enumerated() {
                if i > 0 { sql.append(word) }
                sql.append("(")
                self.condition(item, into: &sql)
                sql.append(")")
            }
        case .not(let inner):
            sql.append("NOT (")
            self.condition(inner, into: &sql)
            sql.append(")")
        case .semiJoin(let field, let negated, let sub):
            let selected: BoundField
            if case .field(let f, _) = sub.columns[0] { selected = f } else { return }
            let lhs = column(field)
            sql.append(negated ? "(" + lhs + " IS NULL OR " + lhs + " NOT IN (" : lhs + " IN (")
            sql.append("SELECT " + column(selected))
            from(sub, into: &sql)
            sql.append(" WHERE ")
            filters(sub, into: &sql, extra: SQLFragment(column(selected) + " IS NOT NULL"))
            sql.append(negated ? "))" : ")")
        case .comparison(let operand, let op, let values):
            comparison(operand, op, values, into: &sql)
        }
    }

    private func comparison(
        _ operand: BoundOperand, _ op: Comparison.Operator, _ values: [BoundValue], into sql: inout SQLText
    ) {
        let lhs: String
        var kind = FieldKind.number
        switch operand {
        case .field(let field):
            lhs = column(field)
            kind = FieldKind(field.field)
        case .aggregate(let function, let field):
            lhs = aggregate(function, field)
            if let field, function != .count, function != .countDistinct { kind = FieldKind(field.field) }
        }
        let collate = kind == .text ? " COLLATE NOCASE" : ""
        switch op {
        case .like:
            sql.append(lhs + " LIKE ? ESCAPE '\\'")
            if case .likePattern(let pattern) = values.first { sql.bind(.text(pattern)) }
        case .includes, .excludes:
            if op == .excludes { sql.append("(" + lhs + " IS NULL OR NOT ") }
            sql.append("(")
            for (i, value) in values.enumerated() {
                guard case .text(let text) = value else { continue }
                if i > 0 { sql.append(" OR ") }
                let parts = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                sql.append("(")
                for (j, part) in parts.enumerated() {
                    if j > 0 { sql.append(" AND ") }
                    sql.append("(';' || " + lhs + " || ';') LIKE ? ESCAPE '\\'")
                    sql.bind(.text("%;" + Self.escapeLike(part) + ";%"))
                }
                if parts.isEmpty { sql.append("0") }
                sql.append(")")
            }
            sql.append(")")
            if op == .excludes { sql.append(")") }
        case .in, .notIn:
            let hasNull = values.contains(.null)
            let ranges = values.compactMap { value -> RelativeDate? in
                if case .relativeDate(let r) = value { return r }
                return nil
            }
            let plain = values.filter {
                if case .relativeDate = $0 { return false }
                return $0 != .null
            }
            var parts: [SQLText] = []
            if !plain.isEmpty {
                var part = SQLText()
                part.append(
                    lhs + collate + " IN ("
                        + Array(repeating: "?", count: plain.count).joined(separator: ", ") + ")")
                for value in plain { part.bind(parameter(value, kind: kind)) }
                parts.append(part)
            }
            for range in ranges {
                var part = SQLText()
                relative(lhs, .equal, range, kind: kind, into: &part)
                parts.append(part)
            }
            if hasNull { parts.append(SQLText(lhs + " IS NULL")) }
            if op == .notIn {
                sql.append(hasNull ? "NOT (" : "(" + lhs + " IS NULL OR NOT (")
            } else {
                sql.append("(")
            }
            if parts.isEmpty { sql.append("0") }
            for (i, part) in parts.enumerated() {
                if i > 0 { sql.append(" OR ") }
                sql.append(SQLFragment(part.text, part.parameters))
            }
            sql.append(op == .notIn && !hasNull ? "))" : ")")
        default:
            guard let value = values.first else { return }
            if value == .null {
                sql.append(lhs + (op == .equal ? " IS NULL" : " IS NOT NULL"))
                return
            }
            if case .relativeDate(let range) = value {
                relative(lhs, op, range, kind: kind, into: &sql)
                return
            }
            let symbol =
                switch op {
                case .equal: " = "
                case .notEqual: " IS NOT "
                default: " " + op.rawValue + " "
                }
            sql.append(lhs + symbol + "?" + collate)
            sql.bind(parameter(value, kind: kind))
        }
    }

    /// A relative date as a half-open range on a date or datetime column.
    private func relative(
        _ lhs: String, _ op: Comparison.Operator, _ literal: RelativeDate, kind: FieldKind,
        into sql: inout SQLText
    ) {
        let (start, end) = literal.range(now: now)
        let s = kind == .date ? SQLValue.text(Self.dateString(start)) : .text(Self.dateTimeString(start))
        let e = kind == .date ? SQLValue.text(Self.dateString(end)) : .text(Self.dateTimeString(end))
        switch op {
        case .equal:
            sql.append("(" + lhs + " >= ? AND " + lhs + " < ?)")
            sql.bind(s)
            sql.bind(e)
        case .notEqual:
            sql.append("(" + lhs + " IS NULL OR " + lhs + " < ? OR " + lhs + " >= ?)")
            sql.bind(s)
            sql.bind(e)
        case .less:
            sql.append(lhs + " < ?")
            sql.bind(s)
        case .lessOrEqual:
            sql.append(lhs + " < ?")
            sql.bind(e)
        case .greater:
            sql.append(lhs + " >= ?")
            sql.bind(e)
        default:
            sql.append(lhs + " >= ?")
            sql.bind(s)
        }
    }

    private func parameter(_ value: BoundValue, kind: FieldKind) -> SQLValue {
        switch value {
        case .null: .null
        case .text(let v), .likePattern(let v): .text(v)
        case .integer(let v): .integer(v)
        case .real(let v): .real(v)
        case .boolean(let v): .integer(v ? 1 : 0)
        case .date(let v): .text(v)
        case .dateTime(let v): .text(Self.dateTimeString(v))
        case .relativeDate(let r): .text(Self.dateTimeString(r.range(now: now).start))
        }
    }

    /// `%`, `_` and `\` escaped for `LIKE … ESCAPE '\'`.
    static func escapeLike(_ text: String) -> String {
        var result = ""
        for c in text {
            if c == "%" || c == "_" || c == "\\" { result.append("\\") }
            result.append(c)
        }
        return result
    }

    /// `YYYY-MM-DD` in UTC.
    public static func dateString(_ date: Date) -> String {
        String(dateTimeString(date).prefix(10))
    }

    /// `YYYY-MM-DDThh:mm:ss.sssZ` in UTC (the stored datetime form).
    public static func dateTimeString(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let whole = calendar.date(from: c)!
        let millis = min(999, max(0, Int(((date.timeIntervalSince(whole)) * 1000).rounded(.down))))
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return
            "\(pad(c.year!, 4))-\(pad(c.month!, 2))-\(pad(c.day!, 2))T\(pad(c.hour!, 2)):\(pad(c.minute!, 2)):\(pad(c.second!, 2)).\(pad(millis, 3))Z"
    }
}
