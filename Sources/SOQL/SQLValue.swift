import Foundation

/// A value bound to a `?` parameter.
public enum SQLValue: Hashable, Sendable, CustomStringConvertible {
    // `description` is an SQL literal, for logs and tests only: the generator never splices values.
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let v): String(v)
        case .real(let v): String(v)
        case .text(let v): "'" + v.replacingOccurrences(of: "'", with: "''") + "'"
        }
    }
}

/// A piece of SQL with its parameters, in order.
public struct SQLFragment: Hashable, Sendable {
    public var sql: String
    public var parameters: [SQLValue]

    public init(_ sql: String, _ parameters: [SQLValue] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}
