/// A parsed `booleanFilter` of a criteria rule (`1 AND (2 OR NOT 3)`), over 1-based item numbers.
public indirect enum BooleanFilter: Hashable, Sendable, CustomStringConvertible {
    case item(Int)
    case and([BooleanFilter])
    case or([BooleanFilter])
    case not(BooleanFilter)

    /// `1 AND 2 AND … n`, the meaning of a rule without `booleanFilter`.
    public static func allOf(_ count: Int) -> BooleanFilter { .and((1...max(count, 1)).map { .item($0) }) }

    public func evaluate(_ item: (Int) -> Bool) -> Bool {
        switch self {
        case .item(let n): item(n)
        case .and(let xs): xs.allSatisfy { $0.evaluate(item) }
        case .or(let xs): xs.contains { $0.evaluate(item) }
        case .not(let x): !x.evaluate(item)
        }
    }

    /// Evaluates over sets of records at once: `item(n)` gives the records item `n` matches.
    func evaluate(bits item: (Int) -> Bitset, count: Int) -> Bitset {
        switch self {
        case .item(let n): return item(n)
        case .and(let xs):
            var result =
                xs.first.map { $0.evaluate(bits: item, count: count) } ?? Bitset(count: count, all: true)
            for x in xs.dropFirst() { result.formIntersection(x.evaluate(bits: item, count: count)) }
            return result
        case .or(let xs):
            var result = Bitset(count: count)
            for x in xs { result.formUnion(x.evaluate(bits: item, count: count)) }
            return result
        case .not(let x): return x.evaluate(bits: item, count: count).inverted()
        }
    }

    /// Item numbers used, for validation.
    public var items: Set<Int> {
        switch self {
        case .item(let n): [n]
        case .and(let xs), .or(let xs): xs.reduce(into: Set<Int>()) { $0.formUnion($1.items) }
        case .not(let x): x.items
        }
    }

    public var description: String {
        switch self {
        case .item(let n): "\(n)"
        case .and(let xs): "(" + xs.map(\.description).joined(separator: " AND ") + ")"
        case .or(let xs): "(" + xs.map(\.description).joined(separator: " OR ") + ")"
        case .not(let x): "NOT \(x)"
        }
    }

    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Parses `1 AND (2 OR 3)`, `NOT 1 OR 2`, `1 and 2` (keywords case-insensitive); `NOT` binds
    /// tighter than `AND`, which binds tighter than `OR`.
    public static func parse(_ text: String) throws(ParseError) -> BooleanFilter {
        var tokens: [String] = []
        var current = ""
        for ch in text {
            if ch == "(" || ch == ")" || ch.isWhitespace {
                if !current.isEmpty { tokens.append(current) }
                current = ""
                if !ch.isWhitespace { tokens.append(String(ch)) }
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        var position = 0

        func peek() -> String? { position < tokens.count ? tokens[position].uppercased() : nil }
        func parseOr() throws(ParseError) -> BooleanFilter {
            var terms = [try parseAnd()]
            while peek() == "OR" {
                position += 1
                terms.append(try parseAnd())
            }
            return terms.count == 1 ? terms[0] : .or(terms)
        }
        func parseAnd() throws(ParseError) -> BooleanFilter {
            var terms = [try parseUnary()]
            while peek() == "AND" {
                position += 1
                terms.append(try parseUnary())
            }
            return terms.count == 1 ? terms[0] : .and(terms)
        }
        func parseUnary() throws(ParseError) -> BooleanFilter {
            guard let token = peek() else {
                throw ParseError(message: "booleanFilter `\(text)` ends too early")
            }
            position += 1
            if token == "NOT" { return .not(try parseUnary()) }
            if token == "(" {
                let inner = try parseOr()
                guard peek() == ")" else {
                    throw ParseError(message: "booleanFilter `\(text)` is missing `)`")
                }
                position += 1
                return inner
            }
            guard let n = Int(token), n >= 1 else {
                throw ParseError(
                    message: "booleanFilter `\(text)` has an unexpected `\(tokens[position - 1])`")
            }
            return .item(n)
        }
        let result = try parseOr()
        guard position == tokens.count else {
            throw ParseError(message: "booleanFilter `\(text)` has an unexpected `\(tokens[position])`")
        }
        return result
    }
}
