import Foundation

/// The formula-like text of a restriction or scoping rule's `recordFilter` and `userCriteria`
/// (`REC-20`): comparisons (`=`, `==`, `!=`, `<>`, `<`, `>`, `<=`, `>=`) of fields, `$User.…` values and
/// literals (`'text'`, `"text"`, numbers, `true`, `false`, `null`), combined with `&&`/`AND`, `||`/`OR`,
/// `!`/`NOT` and parentheses.
public indirect enum FilterExpression: Hashable, Sendable, CustomStringConvertible {
    case and([FilterExpression])
    case or([FilterExpression])
    case not(FilterExpression)
    case compare(Operand, String, Operand)
    case value(Operand)

    public enum Operand: Hashable, Sendable, CustomStringConvertible {
        /// A record field (`Send_to_HubSpot__c`, `Owner.Department`).
        case field(String)
        /// A `$User.X` value (`X` stored).
        case user(String)
        case literal(FieldValue)

        public var isUser: Bool {
            if case .user = self { return true }
            return false
        }

        public var description: String {
            switch self {
            case .field(let n): n
            case .user(let n): "$User.\(n)"
            case .literal(let v): v.soqlText
            }
        }
    }

    public var description: String {
        switch self {
        case .and(let xs): "(" + xs.map(\.description).joined(separator: " && ") + ")"
        case .or(let xs): "(" + xs.map(\.description).joined(separator: " || ") + ")"
        case .not(let x): "!\(x)"
        case .compare(let a, let op, let b): "\(a) \(op) \(b)"
        case .value(let a): a.description
        }
    }

    /// Whether the expression refers to `$User` values (then it cannot be evaluated once for all users).
    public var refersToUser: Bool {
        switch self {
        case .and(let xs), .or(let xs): xs.contains(where: \.refersToUser)
        case .not(let x): x.refersToUser
        case .compare(let a, _, let b): a.isUser || b.isUser
        case .value(let a): a.isUser
        }
    }

    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    // MARK: Evaluation

    /// Evaluates with `resolve` giving the value of a field or `$User` operand; `nil` from `resolve`
    /// means the name is unknown, which is a `Problem`.
    public func evaluate(_ resolve: (Operand) -> FieldValue?) throws(Problem) -> Bool {
        switch self {
        case .and(let xs):
            for x in xs where try !x.evaluate(resolve) { return false }
            return true
        case .or(let xs):
            for x in xs where try x.evaluate(resolve) { return true }
            return false
        case .not(let x): return try !x.evaluate(resolve)
        case .value(let a):
            let v = try Self.value(a, resolve)
            if case .boolean(let b) = v { return b }
            if let text = v.text, let b = FieldValue.parseBoolean(text) { return b }
            throw Problem(message: "`\(a)` is not true or false")
        case .compare(let a, let op, let b):
            let x = try Self.value(a, resolve)
            let y = try Self.value(b, resolve)
            let c = Self.order(x, y)
            switch op {
            case "=", "==": return c == .orderedSame || (x.isNull && y.isNull)
            case "!=", "<>": return !(c == .orderedSame || (x.isNull && y.isNull))
            case "<": return c == .orderedAscending
            case ">": return c == .orderedDescending
            case "<=": return c == .orderedAscending || c == .orderedSame
            case ">=": return c == .orderedDescending || c == .orderedSame
            default: throw Problem(message: "unknown operator `\(op)`")
            }
        }
    }

    static func value(_ operand: Operand, _ resolve: (Operand) -> FieldValue?) throws(Problem) -> FieldValue {
        if case .literal(let v) = operand { return v }
        guard let v = resolve(operand) else { throw Problem(message: "cannot resolve `\(operand)`") }
        return v
    }

    /// Compares a value with a literal, coercing the literal's text to the value's kind.
    static func order(_ x: FieldValue, _ y: FieldValue) -> ComparisonResult? {
        switch (x, y) {
        case (.null, _), (_, .null): return nil
        case (.boolean(let a), _):
            guard let b = y.text.flatMap(FieldValue.parseBoolean) else { return nil }
            return a == b ? .orderedSame : .orderedDescending
        case (_, .boolean(let b)):
            guard let a = x.text.flatMap(FieldValue.parseBoolean) else { return nil }
            return a == b ? .orderedSame : .orderedAscending
        case (.number, _):
            guard let n = y.text.flatMap(FieldValue.parseNumber) else { return nil }
            return FieldValue.compare(x, .number(n))
        case (_, .number):
            guard let n = x.text.flatMap(FieldValue.parseNumber) else { return nil }
            return FieldValue.compare(.number(n), y)
        default:
            return FieldValue.compare(x, y)
        }
    }

    // MARK: Parsing

    public static func parse(_ text: String) throws(Problem) -> FilterExpression {
        var parser = Parser(tokens: try tokenize(text), text: text)
        let result = try parser.parseOr()
        guard parser.position == parser.tokens.count else {
            throw Problem(message: "unexpected `\(parser.tokens[parser.position].text)` in `\(text)`")
        }
        return result
    }

    struct Token {
        enum Kind { case word, string, number, symbol }
        var kind: Kind
        var text: String
    }

    static func tokenize(_ text: String) throws(Problem) -> [Token] {
        var tokens: [Token] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                i += 1
            } else if c == "'" || c == "\"" {
                var s = ""
                i += 1
                while i < chars.count, chars[i] != c {
                    if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                    s.append(chars[i])
                    i += 1
                }
                guard i < chars.count else { throw Problem(message: "unterminated string in `\(text)`") }
                i += 1
                tokens.append(Token(kind: .string, text: s))
            } else if c.isNumber
                || (c == "-" && i + 1 < chars.count && chars[i + 1].isNumber
                    && (tokens.last?.kind == .symbol || tokens.isEmpty))
            {
                var s = String(c)
                i += 1
                while i < chars.count, chars[i].isNumber || chars[i] == "." {
                    s.append(chars[i])
                    i += 1
                }
                tokens.append(Token(kind: .number, text: s))
            } else if c.isLetter || c == "_" || c == "$" {
                var s = ""
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || "_$.".contains(chars[i]) {
                    s.append(chars[i])
                    i += 1
                }
                tokens.append(Token(kind: .word, text: s))
            } else {
                let two = i + 1 < chars.count ? String([c, chars[i + 1]]) : ""
                if ["&&", "||", "==", "!=", "<>", "<=", ">="].contains(two) {
                    tokens.append(Token(kind: .symbol, text: two))
                    i += 2
                } else if "()=<>!".contains(c) {
                    tokens.append(Token(kind: .symbol, text: String(c)))
                    i += 1
                } else {
                    throw Problem(message: "unexpected `\(c)` in `\(text)`")
                }
            }
        }
        return tokens
    }

    struct Parser {
        var tokens: [Token]
        var text: String
        var position = 0

        func peek() -> Token? { position < tokens.count ? tokens[position] : nil }
        func isKeyword(_ word: String) -> Bool {
            guard let t = peek() else { return false }
            return (t.kind == .word && t.text.uppercased() == word)
        }

        mutating func parseOr() throws(Problem) -> FilterExpression {
            var terms = [try parseAnd()]
            while peek()?.text == "||" || isKeyword("OR") {
                position += 1
                terms.append(try parseAnd())
            }
            return terms.count == 1 ? terms[0] : .or(terms)
        }

        mutating func parseAnd() throws(Problem) -> FilterExpression {
            var terms = [try parseUnary()]
            while peek()?.text == "&&" || isKeyword("AND") {
                position += 1
                terms.append(try parseUnary())
            }
            return terms.count == 1 ? terms[0] : .and(terms)
        }

        mutating func parseUnary() throws(Problem) -> FilterExpression {
            guard let token = peek() else { throw Problem(message: "`\(text)` ends too early") }
            if token.text == "!" || isKeyword("NOT") {
                position += 1
                return .not(try parseUnary())
            }
            if token.text == "(" {
                position += 1
                let inner = try parseOr()
                guard peek()?.text == ")" else { throw Problem(message: "missing `)` in `\(text)`") }
                position += 1
                return inner
            }
            let left = try parseOperand()
            if let op = peek(), op.kind == .symbol,
                ["=", "==", "!=", "<>", "<", ">", "<=", ">="].contains(op.text)
            {
                position += 1
                return .compare(left, op.text, try parseOperand())
            }
            return .value(left)
        }

        mutating func parseOperand() throws(Problem) -> Operand {
            guard let token = peek() else { throw Problem(message: "`\(text)` ends too early") }
            position += 1
            switch token.kind {
            case .string: return .literal(.string(token.text))
            case .number:
                guard let n = FieldValue.parseNumber(token.text) else {
                    throw Problem(message: "bad number `\(token.text)`")
                }
                return .literal(.number(n))
            case .word:
                switch token.text.lowercased() {
                case "true": return .literal(.boolean(true))
                case "false": return .literal(.boolean(false))
                case "null": return .literal(.null)
                default: break
                }
                if token.text.lowercased().hasPrefix("$user.") {
                    return .user(String(token.text.dropFirst(6)))
                }
                if token.text.hasPrefix("$") { throw Problem(message: "unsupported global `\(token.text)`") }
                return .field(token.text)
            case .symbol: throw Problem(message: "unexpected `\(token.text)` in `\(text)`")
            }
        }
    }
}
