import Foundation

/// A JSON value as read from a data file, keeping booleans, numbers and strings apart.
enum JSONValue: Decodable, Sendable {
    case null
    case bool(Bool)
    case number(Decimal, text: String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let d = try? c.decode(Double.self) {
            // Re-read through Decimal for an exact text form where possible.
            let decimal = (try? c.decode(Decimal.self)) ?? Decimal(d)
            self = .number(decimal, text: NSDecimalNumber(decimal: decimal).stringValue)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    static func parse(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value as text a CSV cell would hold; `nil` for null, arrays and objects.
    var text: String? {
        switch self {
        case .null, .array, .object: nil
        case .bool(let b): b ? "true" : "false"
        case .number(_, let text): text
        case .string(let s): s
        }
    }
}
