/// A day of the week, Monday first (ISO 8601).
public enum Weekday: Int, CaseIterable, Sendable, Hashable, Comparable {
    case monday = 1
    case tuesday, wednesday, thursday, friday, saturday, sunday

    /// The full lower-case English name, as written in the config (`monday`).
    public var name: String {
        switch self {
        case .monday: "monday"
        case .tuesday: "tuesday"
        case .wednesday: "wednesday"
        case .thursday: "thursday"
        case .friday: "friday"
        case .saturday: "saturday"
        case .sunday: "sunday"
        }
    }

    public static let weekdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]
    public static let weekends: Set<Weekday> = [.saturday, .sunday]
    public static let everyday = Set(allCases)

    /// `monday` or `mon`, any case; nil otherwise.
    public init?(name: String) {
        let lower = name.lowercased()
        guard let day = Weekday.allCases.first(where: { $0.name == lower || $0.name.prefix(3) == lower }) else {
            return nil
        }
        self = day
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A date of the site's calendar (no time, no zone): `2026-10-01`.
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let ordinal: Int64

    public init(ordinal: Int64) { self.ordinal = ordinal }

    /// Nil unless the date exists.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, Int64(day) <= RFC3339.daysInMonth(Int64(year), Int64(month)) else {
            return nil
        }
        ordinal = RFC3339.daysFromCivil(Int64(year), Int64(month), Int64(day))
    }

    /// Parses `YYYY-MM-DD`; nil when malformed or not a real date.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let index = ((ordinal % 7) + 7 + 3) % 7
        return Weekday(rawValue: Int(index) + 1)!
    }

    public var previous: CalendarDay { CalendarDay(ordinal: ordinal - 1) }
    public var next: CalendarDay { CalendarDay(ordinal: ordinal + 1) }

    /// `2026-10-01`.
    public var description: String {
        let (y, m, d) = RFC3339.civilFromDays(ordinal)
        func pad(_ v: Int64, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.ordinal < rhs.ordinal }
}
