import Foundation

/// A literal value, as written.
public enum Literal: Hashable, Sendable, CustomStringConvertible {
    /// `raw` is the text between the quotes (escapes kept), `value` the decoded string (`\%` and `\_` kept
    /// escaped, since they only mean something to `LIKE`).
    case string(raw: String, value: String)
    /// An integer or decimal as written (`-1.50`).
    case number(String)
    case boolean(Bool)
    case null
    /// `YYYY-MM-DD`.
    case date(String)
    /// `YYYY-MM-DDThh:mm:ss[.f](Z|±hh:mm|±hhmm)` as written.
    case dateTime(String)
    case relativeDate(RelativeDate)

    public var description: String {
        switch self {
        case .string(let raw, _): "'\(raw)'"
        case .number(let text): text
        case .boolean(let value): value ? "true" : "false"
        case .null: "null"
        case .date(let text), .dateTime(let text): text
        case .relativeDate(let literal): literal.description
        }
    }

    /// The UTC instant of a datetime literal.
    public static func instant(ofDateTime text: String) -> Date? {
        let chars = Array(text)
        guard chars.count >= 20 else { return nil }
        func int(_ from: Int, _ count: Int) -> Int? { Int(String(chars[from..<(from + count)])) }
        guard let year = int(0, 4), let month = int(5, 2), let day = int(8, 2), let hour = int(11, 2),
            let minute = int(14, 2), let second = int(17, 2)
        else { return nil }
        var i = 19
        var fraction = 0.0
        if chars[i] == "." {
            var j = i + 1
            while j < chars.count, chars[j].isNumber { j += 1 }
            fraction = Double("0." + String(chars[(i + 1)..<j])) ?? 0
            i = j
        }
        var offsetSeconds = 0
        if i < chars.count, chars[i] == "+" || chars[i] == "-" {
            let sign = chars[i] == "-" ? -1 : 1
            let rest = String(chars[(i + 1)...]).replacingOccurrences(of: ":", with: "")
            guard rest.count == 4, let hh = Int(rest.prefix(2)), let mm = Int(rest.suffix(2)) else {
                return nil
            }
            offsetSeconds = sign * (hh * 3600 + mm * 60)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard
            let base = calendar.date(
                from: DateComponents(
                    year: year, month: month, day: day, hour: hour, minute: minute, second: second))
        else { return nil }
        return base.addingTimeInterval(fraction - Double(offsetSeconds))
    }
}
