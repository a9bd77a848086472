import Foundation

/// A criteria rule's filter, compiled against the object's field types (`REC-11`). Evaluated once per
/// record, never per user.
public struct CriteriaMatcher: Sendable {
    public struct Item: Sendable {
        public var field: String
        public var operation: String
        /// Alternatives from the comma-separated value (`REC-11`: any of).
        public var values: [String]
        public var type: FieldType?
        /// `values`, parsed once.
        var candidates: [Candidate] = []
        var op: Op = .unknown
    }

    /// For ordering operations on a number whose `Double` is known: the answer without comparing
    /// `Decimal`s when the doubles differ (`nil` when the slow path is needed).
    static func fastOrdering(_ item: Item, _ x: Double) -> Bool? {
        switch item.op {
        case .lessThan, .greaterThan, .lessOrEqual, .greaterOrEqual: break
        default: return nil
        }
        var any = false
        for c in item.candidates {
            guard let y = c.double else { continue }
            if x == y { return nil }
            let hit: Bool =
                switch item.op {
                case .lessThan, .lessOrEqual: x < y
                default: x > y
                }
            if hit { any = true }
        }
        return any
    }

    enum Op: Sendable {
        case equals, notEqual, lessThan, greaterThan, lessOrEqual, greaterOrEqual, contains, notContain,
            startsWith
        case includes, excludes, unknown

        init(_ text: String) {
            switch text {
            case "equals": self = .equals
            case "notEqual": self = .notEqual
            case "lessThan": self = .lessThan
            case "greaterThan": self = .greaterThan
            case "lessOrEqual": self = .lessOrEqual
            case "greaterOrEqual": self = .greaterOrEqual
            case "contains": self = .contains
            case "notContain": self = .notContain
            case "startsWith": self = .startsWith
            case "includes": self = .includes
            case "excludes": self = .excludes
            default: self = .unknown
            }
        }
    }

    /// A criteria value parsed every way it may be compared, once per rule (not per record).
    struct Candidate: Sendable {
        var text: String
        var number: Decimal?
        var double: Double?
        var boolean: Bool?
        var date: FieldValue?
        var dateTime: FieldValue?
        /// Parts of a multi-select `A;B` value.
        var parts: [String]

        init(_ text: String) {
            self.text = text
            number = FieldValue.parseNumber(text)
            double = number.map { NSDecimalNumber(decimal: $0).doubleValue }
            boolean = FieldValue.parseBoolean(text)
            date = FieldValue.parseDate(text)
            dateTime =
                FieldValue.parseDateTime(text) ?? date.map { .dateTime(($0.text ?? "") + "T00:00:00.000Z") }
            parts = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    public var items: [Item]
    public var filter: BooleanFilter
    /// Problems that make the filter unusable (unknown operation, bad `booleanFilter`); a matcher with
    /// problems matches nothing.
    public var problems: [String]

    public init(_ criteria: CriteriaFilter, object: SObjectType?) {
        problems = []
        items = criteria.items.map { item in
            let values: [String] =
                item.value.isEmpty
                ? [""] : item.value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return Item(
                field: item.field, operation: item.operation, values: values,
                type: object?.fields[item.field]?.type, candidates: values.map(Candidate.init),
                op: Op(item.operation))
        }
        for item in items where !Self.operations.contains(item.operation) {
            problems.append("unknown criteria operation `\(item.operation)` on `\(item.field)`")
        }
        if let text = criteria.booleanFilter, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                filter = try BooleanFilter.parse(text)
                if let bad = filter.items.first(where: { $0 > items.count }) {
                    problems.append(
                        "booleanFilter `\(text)` refers to item \(bad), but the rule has \(items.count)")
                }
            } catch {
                filter = .allOf(items.count)
                problems.append(error.message)
            }
        } else {
            filter = .allOf(items.count)
        }
        if items.isEmpty { problems.append("the rule has no criteria items") }
    }

    public static let operations: Set<String> = [
        "equals", "notEqual", "lessThan", "greaterThan", "lessOrEqual", "greaterOrEqual", "contains",
        "notContain", "startsWith", "includes", "excludes",
    ]

    /// Whether the record matches. `value(field)` gives the record's value for a field name.
    public func matches(_ value: (String) -> FieldValue) -> Bool {
        guard problems.isEmpty else { return false }
        return filter.evaluate { n in
            n >= 1 && n <= items.count && Self.matches(items[n - 1], value(items[n - 1].field))
        }
    }

    /// Why a record does not match: the items that fail, as "`Field` is value".
    public func failures(_ value: (String) -> FieldValue) -> [String] {
        if !problems.isEmpty { return problems }
        return items.filter { !Self.matches($0, value($0.field)) }.map { item in
            let v = value(item.field)
            return "`\(item.field)` is \(v.isNull ? "empty" : v.soqlText)"
                + " (rule wants \(item.operation) \(item.values.joined(separator: ", ")))"
        }
    }

    /// One criteria item against one value. Text comparisons are case-sensitive (`REC-11`).
    public static func matches(_ item: Item, _ value: FieldValue) -> Bool {
        if item.candidates.isEmpty {
            var compiled = item
            compiled.candidates = item.values.map(Candidate.init)
            compiled.op = Op(item.operation)
            return matches(compiled, value)
        }
        let op = item.op
        switch op {
        case .notEqual, .notContain, .excludes:
            for i in item.candidates.indices {
                let hit: Bool
                switch op {
                case .notEqual: hit = equals(value, item.candidates[i], item.type)
                case .notContain:
                    hit =
                        text(value).map { $0.contains(item.candidates[i].text) }
                        ?? item.candidates[i].text.isEmpty
                default: hit = includes(value, item.candidates[i])
                }
                if hit { return false }
            }
            return true
        case .unknown: return false
        default: break
        }
        for i in item.candidates.indices {
            let hit: Bool
            switch op {
            case .equals: hit = equals(value, item.candidates[i], item.type)
            case .contains:
                hit =
                    text(value).map {
                        item.candidates[i].text.isEmpty || $0.contains(item.candidates[i].text)
                    } ?? false
            case .startsWith: hit = text(value).map { $0.hasPrefix(item.candidates[i].text) } ?? false
            case .includes: hit = includes(value, item.candidates[i])
            default:
                guard !value.isNull, !item.candidates[i].text.isEmpty,
                    let c = compare(value, item.candidates[i])
                else {
                    continue
                }
                switch op {
                case .lessThan: hit = c == .orderedAscending
                case .greaterThan: hit = c == .orderedDescending
                case .lessOrEqual: hit = c != .orderedDescending
                default: hit = c != .orderedAscending
                }
            }
            if hit { return true }
        }
        return false
    }

    /// Text of a value without formatting numbers unless needed.
    static func text(_ value: FieldValue) -> String? {
        switch value {
        case .string(let s), .date(let s), .dateTime(let s): s
        default: value.text
        }
    }

    /// Equality with a criteria value: empty means "field is empty"; checkboxes read `True`/`False`;
    /// numbers compare numerically; everything else as case-sensitive text.
    static func equals(_ value: FieldValue, _ candidate: Candidate, _ type: FieldType?) -> Bool {
        if candidate.text.isEmpty { return value.isNull }
        switch value {
        case .null: return false
        case .boolean(let b): return candidate.boolean == b
        case .number(let d): return candidate.number == d
        case .dateTime(let t):
            if let c = candidate.dateTime { return c == .dateTime(t) }
            return t == candidate.text
        case .date(let s): return s == candidate.text
        case .string(let s):
            if type == .checkbox, let b = FieldValue.parseBoolean(s) { return candidate.boolean == b }
            return s == candidate.text
        }
    }

    static func compare(_ value: FieldValue, _ candidate: Candidate) -> ComparisonResult? {
        switch value {
        case .number(let x):
            guard let y = candidate.number else { return nil }
            return x < y ? .orderedAscending : (x == y ? .orderedSame : .orderedDescending)
        case .dateTime:
            guard let c = candidate.dateTime else { return nil }
            return FieldValue.compare(value, c)
        case .date:
            guard let c = candidate.date else { return nil }
            return FieldValue.compare(value, c)
        case .boolean, .null: return nil
        case .string(let s):
            return s < candidate.text
                ? .orderedAscending : (s == candidate.text ? .orderedSame : .orderedDescending)
        }
    }

    /// Multi-select picklist `includes`: `A;B` in a criteria value means both (`REC-11`, assumed).
    static func includes(_ value: FieldValue, _ candidate: Candidate) -> Bool {
        guard let text = text(value), !text.isEmpty else { return candidate.text.isEmpty }
        let have = Set(text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) })
        return !candidate.parts.isEmpty && candidate.parts.allSatisfy { have.contains($0) }
    }
}
