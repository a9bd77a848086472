import AccessModel
import Foundation

/// Conditions: operators, literal types and semi-joins.
extension Binder {
    func condition(_ condition: Condition, in scope: inout Scope, state: inout State)
        throws(SOQLError) -> BoundCondition
    {
        switch condition {
        case .and(let items):
            var bound: [BoundCondition] = []
            for item in items { bound.append(try self.condition(item, in: &scope, state: &state)) }
            return .and(bound)
        case .or(let items):
            var bound: [BoundCondition] = []
            for item in items { bound.append(try self.condition(item, in: &scope, state: &state)) }
            return .or(bound)
        case .not(let inner):
            return .not(try self.condition(inner, in: &scope, state: &state))
        case .comparison(let comparison):
            return try self.comparison(comparison, in: &scope, state: &state)
        }
    }

    func comparison(_ comparison: Comparison, in scope: inout Scope, state: inout State)
        throws(SOQLError) -> BoundCondition
    {
        let text = state.text
        let operand: BoundOperand
        switch comparison.operand {
        case .field(let path):
            operand = .field(try resolve(path, in: &scope, clause: .filter, state: &state))
        case .aggregate(let call):
            operand = .aggregate(call.function, try aggregateArgument(call, in: &scope, state: &state))
        }
        let position = comparison.operand.position
        // The type values are checked against: the field's, or a number for COUNT.
        let kind: FieldKind
        let field = operand.field
        switch operand {
        case .aggregate(let function, _) where function == .count || function == .countDistinct:
            kind = .number
        default: kind = field.map { FieldKind($0.field) } ?? .number
        }
        let fieldName = field?.name ?? comparison.operand.description
        if let scheme = field?.field.encryptionScheme, scheme != .none, scheme.allowsFiltering,
            ![.equal, .notEqual, .in, .notIn].contains(comparison.op)
        {
            throw SOQLError.invalidField(
                "field '\(fieldName)' can not be filtered in a query call", at: position, query: text)
        }
        switch comparison.op {
        case .like:
            guard kind == .text || kind == .id, case .literal(.string(let raw, _)) = comparison.value else {
                throw SOQLError.invalidField(
                    "invalid operator on \(kind.typeName) field: \(fieldName)", at: position, query: text)
            }
            return .comparison(operand, .like, [.likePattern(Self.likePattern(raw))])
        case .includes, .excludes:
            guard kind == .multipicklist else {
                throw SOQLError.invalidField(
                    "includes or excludes operator only valid on multipicklist field", at: position,
                    query: text)
            }
            guard case .list(let items) = comparison.value else {
                throw SOQLError.malformed("unexpected token: '('", at: position, query: text)
            }
            var values: [BoundValue] = []
            for item in items {
                guard case .string(_, let value) = item else {
                    throw SOQLError.invalidField(
                        kind.mismatch(fieldName), at: position, query: text)
                }
                values.append(.text(value))
            }
            return .comparison(operand, comparison.op, values)
        case .in, .notIn:
            switch comparison.value {
            case .subquery(let sub):
                guard case .field(let bound) = operand, FieldKind(bound.field) == .id else {
                    throw SOQLError.malformed(
                        "Invalid semi join: the left operand must be an Id or a reference field",
                        at: position, query: text)
                }
                return .semiJoin(bound, negated: comparison.op == .notIn, try semiJoin(sub, state: &state))
            case .list(let items):
                var values: [BoundValue] = []
                for item in items {
                    values.append(try value(item, kind: kind, fieldName: fieldName, at: position, text: text))
                }
                return .comparison(operand, comparison.op, values)
            case .literal:
                throw SOQLError.malformed(
                    "unexpected token: '\(comparison.value)'", at: position, query: text)
            }
        default:
            guard case .literal(let literal) = comparison.value else {
                throw SOQLError.malformed("unexpected token: '('", at: position, query: text)
            }
            if literal == .null, comparison.op != .equal, comparison.op != .notEqual {
                throw SOQLError.malformed("unexpected token: 'null'", at: position, query: text)
            }
            return .comparison(
                operand, comparison.op,
                [try value(literal, kind: kind, fieldName: fieldName, at: position, text: text)])
        }
    }

    func semiJoin(_ sub: Query, state: inout State) throws(SOQLError) -> BoundQuery {
        let text = state.text
        guard let object = readableObject(sub.from.name) else {
            throw SOQLError.unsupportedType(sub.from.name, at: sub.from.position, query: text)
        }
        guard sub.select.count == 1, case .field(let path, nil) = sub.select[0], !sub.isAggregate else {
            throw SOQLError.malformed(
                "Invalid semi join: the subquery must select exactly one Id or reference field",
                at: sub.from.position, query: text)
        }
        // A semi-join is a set of Ids: ordering and paging it mean nothing here, so they are refused.
        if let clause = !sub.orderBy.isEmpty
            ? "ORDER"
            : sub.limit != nil
                ? "LIMIT"
                : sub.offset != nil
                    ? "OFFSET"
                    : sub.scope != nil ? "USING" : sub.security != nil ? "WITH" : nil
        {
            throw SOQLError.malformed("unexpected token: '\(clause)'", at: sub.from.position, query: text)
        }
        let bound = try bind(sub, object: object, alias: state.alias("s"), childLink: nil, state: &state)
        guard case .field(let selected, _) = bound.columns[0], FieldKind(selected.field) == .id else {
            throw SOQLError.malformed(
                "Invalid semi join: the subquery must select an Id or reference field, not \(path)",
                at: path.position, query: text)
        }
        return bound
    }

    /// Converts a literal for a field of `kind`, with Salesforce's message when the types disagree.
    func value(
        _ literal: Literal, kind: FieldKind, fieldName: String, at position: SourcePosition, text: String
    ) throws(SOQLError) -> BoundValue {
        let mismatch = SOQLError.invalidField(kind.mismatch(fieldName), at: position, query: text)
        switch literal {
        case .null:
            return .null
        case .string(_, let value):
            switch kind {
            case .text, .multipicklist:
                return .text(
                    value.replacingOccurrences(of: "\\%", with: "%").replacingOccurrences(
                        of: "\\_", with: "_"))
            case .id:
                guard let id = Self.normalizedId(value) else {
                    throw SOQLError(
                        code: .invalidQueryFilterOperator, detail: "invalid ID field: \(value)",
                        position: position,
                        query: text)
                }
                return .text(id)
            default: throw mismatch
            }
        case .number(let number):
            guard kind == .number else { throw mismatch }
            if let int = Int64(number) { return .integer(int) }
            guard let double = Double(number) else { throw mismatch }
            return .real(double)
        case .boolean(let value):
            guard kind == .boolean else { throw mismatch }
            return .boolean(value)
        case .date(let value):
            guard kind == .date else { throw mismatch }
            return .date(value)
        case .dateTime(let value):
            guard kind == .dateTime, let instant = Literal.instant(ofDateTime: value) else { throw mismatch }
            return .dateTime(instant)
        case .relativeDate(let value):
            guard kind == .date || kind == .dateTime else { throw mismatch }
            return .relativeDate(value)
        }
    }

    /// A SOQL `LIKE` pattern (raw string-literal text) in SQL form for `LIKE ? ESCAPE '\'`: `\%` and
    /// `\_` stay escaped, a literal backslash becomes `\\`, other escapes are decoded.
    static func likePattern(_ raw: String) -> String {
        var result = ""
        var chars = raw.makeIterator()
        while let c = chars.next() {
            guard c == "\\", let e = chars.next() else {
                result.append(c)
                continue
            }
            switch e {
            case "%", "_": result += "\\" + String(e)
            case "\\": result += "\\\\"
            case "n": result.append("\n")
            case "t": result.append("\t")
            case "r": result.append("\r")
            case "b": result.append("\u{8}")
            case "f": result.append("\u{c}")
            default: result.append(e)
            }
        }
        return result
    }

    /// An 18-character Id from a 15- or 18-character one; `nil` if it is not an Id.
    public static func normalizedId(_ text: String) -> String? {
        let chars = Array(text)
        guard chars.count == 15 || chars.count == 18,
            chars.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return nil }
        if chars.count == 18 { return text }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")
        var suffix = ""
        for chunk in 0..<3 {
            var bits = 0
            for i in 0..<5 where chars[chunk * 5 + i].isUppercase { bits |= 1 << i }
            suffix.append(alphabet[bits])
        }
        return text + suffix
    }
}
