import Foundation

/// A relative date literal (`TODAY`, `LAST_N_DAYS:30`): a range of days computed from "now" in UTC.
public struct RelativeDate: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case today = "TODAY", yesterday = "YESTERDAY", tomorrow = "TOMORROW"
        case lastWeek = "LAST_WEEK", thisWeek = "THIS_WEEK", nextWeek = "NEXT_WEEK"
        case lastMonth = "LAST_MONTH", thisMonth = "THIS_MONTH", nextMonth = "NEXT_MONTH"
        case last90Days = "LAST_90_DAYS", next90Days = "NEXT_90_DAYS"
        case lastNDays = "LAST_N_DAYS", nextNDays = "NEXT_N_DAYS", nDaysAgo = "N_DAYS_AGO"
        case lastQuarter = "LAST_QUARTER", thisQuarter = "THIS_QUARTER", nextQuarter = "NEXT_QUARTER"
        case lastYear = "LAST_YEAR", thisYear = "THIS_YEAR", nextYear = "NEXT_YEAR"

        /// Literals written `NAME:n`.
        public var takesCount: Bool { self == .lastNDays || self == .nextNDays || self == .nDaysAgo }
    }

    public var kind: Kind
    /// `n` of `LAST_N_DAYS:n`, `NEXT_N_DAYS:n` and `N_DAYS_AGO:n`.
    public var count: Int?

    public init(_ kind: Kind, count: Int? = nil) {
        self.kind = kind
        self.count = count
    }

    /// Parses the token text (`last_n_days:5`).
    init?(text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let kind = Kind(rawValue: parts[0].uppercased()) else { return nil }
        if kind.takesCount {
            guard parts.count == 2, let n = Int(parts[1]) else { return nil }
            self.init(kind, count: n)
        } else {
            guard parts.count == 1 else { return nil }
            self.init(kind)
        }
    }

    public var description: String {
        if let count { return "\(kind.rawValue):\(count)" }
        return kind.rawValue
    }

    /// The half-open range `[start, end)` of UTC instants the literal denotes, relative to `now`. Weeks
    /// start on Sunday; quarters are calendar quarters (fiscal years are not modelled). `LAST_N_DAYS:n`
    /// and `LAST_90_DAYS` include today; `NEXT_N_DAYS:n` starts tomorrow.
    public func range(now: Date) -> (start: Date, end: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        calendar.firstWeekday = 1
        let today = calendar.startOfDay(for: now)
        func day(_ offset: Int, from base: Date = today) -> Date {
            calendar.date(byAdding: .day, value: offset, to: base)!
        }
        func month(_ offset: Int, from base: Date) -> Date {
            calendar.date(byAdding: .month, value: offset, to: base)!
        }
        let parts = calendar.dateComponents([.year, .month, .weekday], from: today)
        let weekStart = day(-(parts.weekday! - 1))
        let monthStart = calendar.date(from: DateComponents(year: parts.year, month: parts.month, day: 1))!
        let quarterStart = calendar.date(
            from: DateComponents(year: parts.year, month: ((parts.month! - 1) / 3) * 3 + 1, day: 1))!
        let yearStart = calendar.date(from: DateComponents(year: parts.year, month: 1, day: 1))!
        let n = count ?? 0
        switch kind {
        case .today: return (today, day(1))
        case .yesterday: return (day(-1), today)
        case .tomorrow: return (day(1), day(2))
        case .lastWeek: return (day(-7, from: weekStart), weekStart)
        case .thisWeek: return (weekStart, day(7, from: weekStart))
        case .nextWeek: return (day(7, from: weekStart), day(14, from: weekStart))
        case .lastMonth: return (month(-1, from: monthStart), monthStart)
        case .thisMonth: return (monthStart, month(1, from: monthStart))
        case .nextMonth: return (month(1, from: monthStart), month(2, from: monthStart))
        case .last90Days: return (day(-90), day(1))
        case .next90Days: return (day(1), day(91))
        case .lastNDays: return (day(-n), day(1))
        case .nextNDays: return (day(1), day(n + 1))
        case .nDaysAgo: return (day(-n), day(-n + 1))
        case .lastQuarter: return (month(-3, from: quarterStart), quarterStart)
        case .thisQuarter: return (quarterStart, month(3, from: quarterStart))
        case .nextQuarter: return (month(3, from: quarterStart), month(6, from: quarterStart))
        case .lastYear: return (month(-12, from: yearStart), yearStart)
        case .thisYear: return (yearStart, month(12, from: yearStart))
        case .nextYear: return (month(12, from: yearStart), month(24, from: yearStart))
        }
    }
}
