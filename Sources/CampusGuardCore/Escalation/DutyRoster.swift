import Foundation

/// Who is on duty when: people, roles, weekly shifts in the site's time zone, and holidays.
///
/// A pure value: every query takes the instant it is about. A shift across midnight belongs to
/// the day it starts on, so Friday's 22:00-07:00 night duty still answers at 03:00 on Saturday,
/// also when Saturday is a holiday.
public struct DutyRoster: Sendable, Hashable {
    public var timeZone: TimeZone
    public var people: [Person] {
        didSet { peopleByID = Self.index(people) }
    }
    public var roles: [DutyRole]
    public var shifts: [Shift]
    /// Never overlapping (the config reader checks it); the first that contains a date wins.
    public var holidays: [Holiday]

    private var peopleByID: [String: Person]

    public init(
        timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!,
        people: [Person] = [],
        roles: [DutyRole] = [],
        shifts: [Shift] = [],
        holidays: [Holiday] = []
    ) {
        self.timeZone = timeZone
        self.people = people
        self.roles = roles
        self.shifts = shifts
        self.holidays = holidays
        self.peopleByID = Self.index(people)
    }

    private static func index(_ people: [Person]) -> [String: Person] {
        Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func person(_ id: String) -> Person? { peopleByID[id] }

    public func role(_ id: String) -> DutyRole? { roles.first { $0.id == id } }

    /// The people of a role on duty at an instant for a building (nil: in any building), in
    /// roster order, each once.
    public func onDuty(role: String, at instant: Instant, building: String?) -> [Person] {
        var seen: Set<String> = []
        return everyoneOnDuty(at: instant).compactMap { a in
            guard a.role == role, a.shift.covers(building: building), seen.insert(a.person.id).inserted else {
                return nil
            }
            return a.person
        }
    }

    /// Every person on duty at an instant, with the role and shift that put them there.
    public func everyoneOnDuty(at instant: Instant) -> [DutyAssignment] {
        let (today, second) = localTime(instant)
        var out: [DutyAssignment] = []
        // Yesterday's shifts first: they started earlier.
        for (day, started) in [(today.previous, false), (today, true)] {
            let (shifts, holiday) = self.shifts(on: day)
            for shift in shifts {
                let covers = started ? shift.hours.coversSameDay(second) : shift.hours.coversNextDay(second)
                guard covers else { continue }
                for id in shift.people {
                    guard let person = peopleByID[id] else { continue }
                    out.append(
                        DutyAssignment(role: shift.role, person: person, shift: shift, day: day, holiday: holiday)
                    )
                }
            }
        }
        return out
    }

    /// The shifts that start on a date, and the holiday that decided them.
    public func shifts(on day: CalendarDay) -> (shifts: [Shift], holiday: String?) {
        guard let holiday = holidays.first(where: { $0.contains(day) }) else {
            return (shifts.filter { $0.days.contains(day.weekday) }, nil)
        }
        switch holiday.rule {
        case .like(let weekday): return (shifts.filter { $0.days.contains(weekday) }, holiday.name)
        case .shifts(let replacement): return (replacement, holiday.name)
        }
    }

    /// The site's date and second of the day at an instant.
    public func localTime(_ instant: Instant) -> (day: CalendarDay, secondOfDay: Int) {
        let ms = instant.millisecondsSinceEpoch
        let seconds = (ms >= 0 ? ms : ms - 999) / 1000
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
        let local = seconds + Int64(offset)
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return (CalendarDay(ordinal: day), Int(local - day * 86_400))
    }
}

/// One person on duty: the role, the shift, and the date the shift started on.
public struct DutyAssignment: Sendable, Hashable {
    public var role: String
    public var person: Person
    public var shift: Shift
    public var day: CalendarDay
    /// The holiday whose rule put the shift on that date.
    public var holiday: String?
}
