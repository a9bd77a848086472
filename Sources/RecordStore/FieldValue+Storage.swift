import AccessModel
import Foundation
import GRDB

/// Converting record values to and from their SQLite form (`StoreSchema.Kind`).
extension FieldValue {
    /// The stored form of the value in a column of `kind`.
    func databaseValue(_ kind: StoreSchema.Kind) -> DatabaseValue {
        switch self {
        case .null: return kind == .boolean ? 0.databaseValue : .null
        case .string(let s):
            if s.isEmpty { return kind == .boolean ? 0.databaseValue : .null }
            if kind == .id, let long = RecordId.normalize(s) { return long.databaseValue }
            return s.databaseValue
        case .number(let d):
            if kind == .boolean { return (d == 0 ? 0 : 1).databaseValue }
            return Self.numberValue(d)
        case .boolean(let b): return (b ? 1 : 0).databaseValue
        case .date(let s), .dateTime(let s): return s.databaseValue
        }
    }

    /// Integral decimals as `INTEGER`, others as `REAL`.
    static func numberValue(_ d: Decimal) -> DatabaseValue {
        if d == d.rounded(0), let i = Int64(exactly: NSDecimalNumber(decimal: d).doubleValue),
            abs(i) < (1 << 53)
        {
            return i.databaseValue
        }
        return NSDecimalNumber(decimal: d).doubleValue.databaseValue
    }

    /// The record value of a stored value in a column of `kind`.
    init(stored: DatabaseValue, kind: StoreSchema.Kind) {
        switch stored.storage {
        case .null: self = kind == .boolean ? .boolean(false) : .null
        case .int64(let i):
            switch kind {
            case .boolean: self = .boolean(i != 0)
            default: self = .number(Decimal(i))
            }
        case .double(let d): self = kind == .boolean ? .boolean(d != 0) : .number(Decimal(d))
        case .string(let s):
            switch kind {
            case .date: self = .date(s)
            case .dateTime: self = .dateTime(s)
            default: self = .string(s)
            }
        case .blob: self = .null
        }
    }
}

extension Decimal {
    /// Rounded to `scale` decimal places.
    func rounded(_ scale: Int) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, scale, .plain)
        return result
    }
}
