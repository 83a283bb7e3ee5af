/// Dates on which the weekly roster does not apply as usual: a public holiday, a school break,
/// or a swapped working day (调休).
public struct Holiday: Sendable, Hashable {
    /// What the dates run instead of their own weekday's shifts.
    public enum Rule: Sendable, Hashable {
        /// The shifts of this weekday (`sunday` for the weekend roster, `monday` for a swapped working day).
        case like(Weekday)
        /// These shifts on every date of the holiday, in place of the weekly ones (their `days` are ignored).
        case shifts([Shift])
    }

    public var name: String
    /// The first and last date, both included.
    public var from: CalendarDay
    public var to: CalendarDay
    public var rule: Rule

    public init(name: String, from: CalendarDay, to: CalendarDay, rule: Rule) {
        self.name = name
        self.from = from
        self.to = to
        self.rule = rule
    }

    public func contains(_ day: CalendarDay) -> Bool { from <= day && day <= to }
}
