import AccessModel
import Foundation
import GRDB

/// Formatting stored values as the API returns them (`rest-api.md` §4.2, `CLS-9`).
extension ResultValue {
    /// How a field's values are returned.
    enum Format: Sendable, Equatable {
        case text, integer, double, boolean, date, dateTime, time

        init(_ field: Field) {
            switch StoreSchema.Kind(field) {
            case .boolean: self = .boolean
            case .date: self = .date
            case .dateTime: self = .dateTime
            case .time: self = .time
            case .number:
                // Standard whole-number fields are API type int; custom numbers, currency and percent
                // are doubles.
                self =
                    !field.isCustom && field.type == .number && (field.scale ?? 0) == 0 ? .integer : .double
            default: self = .text
            }
        }
    }

    /// A stored value in the API's form.
    init(stored: DatabaseValue, format: Format) {
        switch stored.storage {
        case .null, .blob: self = .null
        case .int64(let i):
            switch format {
            case .boolean: self = .boolean(i != 0)
            case .double: self = .double(Double(i))
            case .text, .date, .dateTime, .time: self = .string(String(i))
            case .integer: self = .integer(i)
            }
        case .double(let d):
            switch format {
            case .boolean: self = .boolean(d != 0)
            case .integer where d == d.rounded() && abs(d) < 9e18: self = .integer(Int64(d))
            case .text, .date, .dateTime, .time: self = .string(ResultValue.format(d))
            default: self = .double(d)
            }
        case .string(let s):
            switch format {
            case .dateTime: self = .string(Self.apiDateTime(s))
            case .integer: self = Int64(s).map { .integer($0) } ?? .string(s)
            case .double: self = Double(s).map { .double($0) } ?? .string(s)
            case .boolean: self = .boolean(s == "1" || s.lowercased() == "true")
            default: self = .string(s)
            }
        }
    }

    /// `2024-01-01T10:00:00.000Z` → `2024-01-01T10:00:00.000+0000`.
    static func apiDateTime(_ stored: String) -> String {
        guard stored.utf8.last == UInt8(ascii: "Z") else { return stored }
        var text = stored
        text.removeLast()
        text += "+0000"
        return text
    }

    /// The Classic encryption mask of a value (`CLS-9`): `maskType` `all` (default), `lastFour`,
    /// `creditCard`, `ssn`, `sin`, `nino`; `maskChar` `asterisk` (`*`, default) or `X`.
    static func masked(_ value: ResultValue, field: Field) -> ResultValue {
        guard case .string(let text) = value else { return value }
        let mask: Character = field.maskChar?.lowercased() == "x" ? "X" : "*"
        let chars = Array(text)
        func keepLast(_ n: Int) -> String {
            String(chars.enumerated().map { $0.offset >= chars.count - n ? $0.element : mask })
        }
        switch field.maskType?.lowercased() {
        case "lastfour": return .string(keepLast(4))
        case "creditcard":
            let last = String(chars.suffix(4))
            return .string(
                String(repeating: mask, count: 4) + "-" + String(repeating: mask, count: 4) + "-"
                    + String(repeating: mask, count: 4) + "-" + last)
        case "ssn":
            return .string(
                String(repeating: mask, count: 3) + "-" + String(repeating: mask, count: 2) + "-"
                    + String(chars.suffix(4)))
        case "sin":
            return .string(
                String(repeating: mask, count: 3) + "-" + String(repeating: mask, count: 3) + "-"
                    + String(chars.suffix(3)))
        case "nino":
            return .string(
                String(repeating: mask, count: 2) + " " + String(repeating: mask, count: 2) + " "
                    + String(repeating: mask, count: 2) + " " + String(repeating: mask, count: 2) + " "
                    + String(mask))
        default: return .string(String(repeating: mask, count: chars.count))
        }
    }
}
