import Foundation

/// One field value of a record. Dates and date-times are kept in their normalised ISO text so that
/// comparing the text compares the instants.
public enum FieldValue: Hashable, Sendable, CustomStringConvertible {
    case null
    case string(String)
    case number(Decimal)
    case boolean(Bool)
    /// `YYYY-MM-DD`.
    case date(String)
    /// `YYYY-MM-DDTHH:MM:SS.sssZ`, always UTC.
    case dateTime(String)

    /// A stable SOQL-like text form: `null`, `'O\'Brien'`, `12.5`, `true`, `2024-01-31`,
    /// `2024-01-31T10:00:00.000Z`.
    public var soqlText: String {
        switch self {
        case .null: "null"
        case .string(let s):
            "'" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
                + "'"
        case .number(let d): NSDecimalNumber(decimal: d).stringValue
        case .boolean(let b): b ? "true" : "false"
        case .date(let s), .dateTime(let s): s
        }
    }

    public var description: String { soqlText }

    /// The value as plain text (no quotes); `nil` for null.
    public var text: String? {
        switch self {
        case .null: nil
        case .string(let s): s
        case .number(let d): NSDecimalNumber(decimal: d).stringValue
        case .boolean(let b): b ? "true" : "false"
        case .date(let s), .dateTime(let s): s
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        if case .string(let s) = self { return s.isEmpty }
        return false
    }

    /// Parses `YYYY-MM-DD` (a real calendar date) into `.date`.
    public static func parseDate(_ text: String) -> FieldValue? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), d >= 1
        else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        guard d <= days else { return nil }
        return .date(text)
    }

    /// Parses an ISO 8601 date-time (`2024-01-31T10:00:00Z`, `…T10:00:00.000+0000`, `…+01:00`, no zone =
    /// UTC) into UTC, kept as `YYYY-MM-DDTHH:MM:SS.sssZ`.
    public static func parseDateTime(_ text: String) -> FieldValue? {
        let c = Array(text.utf8)
        guard c.count >= 19, c[10] == UInt8(ascii: "T") || c[10] == UInt8(ascii: " "), c[13] == 58,
            c[16] == 58,
            case .date = parseDate(String(decoding: c[0..<10], as: UTF8.self))
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard i < c.count, c[i] >= 48, c[i] <= 57 else { return nil }
                n = n * 10 + Int(c[i] - 48)
            }
            return n
        }
        guard var year = number(0..<4), var month = number(5..<7), var day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var millis = 0
        if i < c.count, c[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < c.count, c[i] >= 48, c[i] <= 57 {
                if digits < 3 { millis = millis * 10 + Int(c[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 3 { for _ in digits..<3 { millis *= 10 } }
        }
        var offset = 0
        if i < c.count {
            if c[i] == UInt8(ascii: "Z") {
                i += 1
            } else if c[i] == UInt8(ascii: "+") || c[i] == UInt8(ascii: "-") {
                let sign = c[i] == UInt8(ascii: "-") ? -1 : 1
                guard let h = number((i + 1)..<(i + 3)) else { return nil }
                var j = i + 3
                if j < c.count, c[j] == 58 { j += 1 }
                guard let m = number(j..<(j + 2)) else { return nil }
                offset = sign * (h * 60 + m)
                i = j + 2
            } else {
                return nil
            }
        }
        guard i == c.count else { return nil }
        // Shift to UTC through minutes since the epoch (days from civil, proleptic Gregorian).
        func days(_ y: Int, _ m: Int, _ d: Int) -> Int {
            let y2 = m <= 2 ? y - 1 : y
            let era = (y2 >= 0 ? y2 : y2 - 399) / 400
            let yoe = y2 - era * 400
            let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
            return era * 146097 + doe - 719468
        }
        var total = days(year, month, day) * 1440 + hour * 60 + minute - offset
        let dayCount = Int((Double(total) / 1440).rounded(.down))
        total -= dayCount * 1440
        // Civil from days.
        let z = dayCount + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return .dateTime(
            "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(total / 60, 2)):\(pad(total % 60, 2)):\(pad(second, 2)).\(pad(millis, 3))Z"
        )
    }

    /// Parses a checkbox value: `true`/`false`, `1`/`0`, `yes`/`no`, case-insensitively.
    public static func parseBoolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes": true
        case "false", "0", "no": false
        default: nil
        }
    }

    private static let posix = Locale(identifier: "en_US_POSIX")

    /// Parses a plain decimal number (`12`, `-3.5`, `.5`, `1e3`); anything else (`1-2`, `12abc`) is `nil`.
    public static func parseNumber(_ text: String) -> Decimal? {
        let t = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var i = 0
        if i < t.count, t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-") { i += 1 }
        var digits = 0
        while i < t.count, t[i] >= 48, t[i] <= 57 {
            i += 1
            digits += 1
        }
        if i < t.count, t[i] == UInt8(ascii: ".") {
            i += 1
            while i < t.count, t[i] >= 48, t[i] <= 57 {
                i += 1
                digits += 1
            }
        }
        guard digits > 0 else { return nil }
        if i < t.count, t[i] == UInt8(ascii: "e") || t[i] == UInt8(ascii: "E") {
            i += 1
            if i < t.count, t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-") { i += 1 }
            var exponentDigits = 0
            while i < t.count, t[i] >= 48, t[i] <= 57 {
                i += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { return nil }
        }
        guard i == t.count else { return nil }
        return Decimal(string: String(decoding: t, as: UTF8.self), locale: posix)
    }

    /// Orders two values of the same kind (numbers numerically, text and dates by text); `nil` when
    /// they cannot be compared.
    public static func compare(_ a: FieldValue, _ b: FieldValue) -> ComparisonResult? {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            return x < y ? .orderedAscending : (x == y ? .orderedSame : .orderedDescending)
        case (.boolean(let x), .boolean(let y)):
            return x == y ? .orderedSame : (!x ? .orderedAscending : .orderedDescending)
        case (.null, _), (_, .null): return nil
        default:
            guard let x = a.text, let y = b.text else { return nil }
            return x < y ? .orderedAscending : (x == y ? .orderedSame : .orderedDescending)
        }
    }
}
