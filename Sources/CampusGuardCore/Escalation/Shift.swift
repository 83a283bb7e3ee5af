/// The hours of a shift in the site's time zone: `08:00-18:00`, or `22:00-07:00` across midnight.
///
/// A range whose end is not after its start crosses midnight and belongs to the day it starts
/// on; start equal to end (`08:00-08:00`) is a 24-hour shift.
public struct ShiftHours: Sendable, Hashable, CustomStringConvertible {
    /// Minutes after midnight, 0..<1440.
    public var start: Int
    /// Minutes after midnight, 1...1440 (`24:00`).
    public var end: Int

    /// Nil unless `start` is 0..<1440 and `end` is 1...1440.
    public init?(start: Int, end: Int) {
        guard (0..<1440).contains(start), (1...1440).contains(end) else { return nil }
        self.start = start
        self.end = end
    }

    /// Parses `HH:MM-HH:MM` (`24:00` allowed as an end); nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let s = Self.minutes(String(parts[0]).trimmingWhitespace(), allow24: false),
            let e = Self.minutes(String(parts[1]).trimmingWhitespace(), allow24: true)
        else { return nil }
        // An end at 00:00 is midnight, the end of the day: `22:00-00:00`, `00:00-00:00` (all day).
        self.init(start: s, end: e == 0 ? 1440 : e)
    }

    public var crossesMidnight: Bool { end <= start }

    /// Whether a shift with these hours, started on a day, covers `secondOfDay` of that same day.
    func coversSameDay(_ secondOfDay: Int) -> Bool {
        let minute = secondOfDay / 60
        return minute >= start && (crossesMidnight || minute < end)
    }

    /// Whether a shift with these hours, started the day before, still covers `secondOfDay`.
    func coversNextDay(_ secondOfDay: Int) -> Bool {
        crossesMidnight && secondOfDay / 60 < end
    }

    /// `22:00-07:00`.
    public var description: String { "\(Self.clock(start))-\(Self.clock(end))" }

    /// `HH:MM` of minutes after midnight (`24:00` for 1440).
    public static func clock(_ minutes: Int) -> String {
        let h = minutes / 60
        let m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }

    private static func minutes(_ text: Substring, allow24: Bool) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let h = Int(parts[0]), let m = Int(parts[1]), m < 60
        else { return nil }
        if h == 24 && m == 0 && allow24 { return 1440 }
        return h < 24 ? h * 60 + m : nil
    }
}

/// People assigned to a role for some days and hours, in some buildings or the whole site.
public struct Shift: Sendable, Hashable {
    public var role: String
    /// Person ids, in the order they are listed (and notified).
    public var people: [String]
    /// The days the shift starts on; a holiday's own shifts ignore this.
    public var days: Set<Weekday>
    public var hours: ShiftHours
    /// Location ids the shift covers; nil for the whole site.
    public var buildings: [String]?

    public init(
        role: String,
        people: [String],
        days: Set<Weekday> = Weekday.everyday,
        hours: ShiftHours,
        buildings: [String]? = nil
    ) {
        self.role = role
        self.people = people
        self.days = days
        self.hours = hours
        self.buildings = buildings
    }

    /// Whether the shift answers for a building; nil asks about any building.
    public func covers(building: String?) -> Bool {
        guard let building, let buildings else { return true }
        return buildings.contains(building)
    }
}
