import CampusGuardCore
import CampusGuardTestKit
import Foundation
import Testing

@Suite("The duty roster")
struct DutyRosterTests {
    typealias F = EscalationFixture

    /// An instant given as Shanghai wall-clock time.
    func local(_ text: String) -> Instant { RFC3339.parse(text + "+08:00")! }

    func onDuty(_ roster: DutyRoster, _ role: String, _ time: String, building: String? = nil) -> [String] {
        roster.onDuty(role: role, at: local(time), building: building).map(\.id)
    }

    @Test("a night shift across midnight belongs to the day it starts on")
    func nightShift() {
        let r = F.roster
        // sun-li has weekday nights only: Friday's night runs into Saturday morning, Saturday's does not exist.
        #expect(onDuty(r, "night_warden", "2026-11-20T21:59:59") == [])
        #expect(onDuty(r, "night_warden", "2026-11-20T22:00:00") == ["li-na", "sun-li"])
        #expect(onDuty(r, "night_warden", "2026-11-21T03:00:00") == ["li-na", "sun-li"])
        #expect(onDuty(r, "night_warden", "2026-11-21T06:59:59") == ["li-na", "sun-li"])
        #expect(onDuty(r, "night_warden", "2026-11-21T07:00:00") == [], "the end is not included")
        #expect(onDuty(r, "night_warden", "2026-11-21T23:00:00") == ["li-na"])
        #expect(onDuty(r, "night_warden", "2026-11-23T03:00:00") == ["li-na"], "Sunday night is not a weekday's")
        #expect(onDuty(r, "night_warden", "2026-11-24T03:00:00") == ["li-na", "sun-li"], "Monday night is")
    }

    @Test("weekend shifts, and a 24-hour shift that starts at 08:00")
    func weekend() {
        let r = F.roster
        #expect(onDuty(r, "duty_officer", "2026-11-20T10:00:00") == ["zhang-wei"], "Friday")
        #expect(onDuty(r, "duty_officer", "2026-11-21T07:59:00") == ["zhang-wei"], "Friday's 24 hours")
        #expect(onDuty(r, "duty_officer", "2026-11-21T08:00:00") == ["liu-fang"], "Saturday")
        #expect(onDuty(r, "duty_officer", "2026-11-23T07:59:00") == ["liu-fang"], "Sunday's 24 hours")
        #expect(onDuty(r, "duty_officer", "2026-11-23T08:00:00") == ["zhang-wei"], "Monday")
        let sunday = r.everyoneOnDuty(at: local("2026-11-22T12:00:00"))
        #expect(sunday.map(\.person.id) == ["liu-fang", "wang-qiang", "chen"])
        #expect(sunday.first?.day == CalendarDay(year: 2026, month: 11, day: 22))
    }

    @Test("a holiday runs another weekday's shifts, or its own")
    func holidays() throws {
        var r = F.roster
        let day = { (s: String) in CalendarDay(parsing: s)! }
        r.holidays = [
            Holiday(name: "National Day", from: day("2026-10-01"), to: day("2026-10-07"), rule: .like(.sunday)),
            Holiday(name: "swapped working day", from: day("2026-10-10"), to: day("2026-10-10"), rule: .like(.friday)),
            Holiday(
                name: "winter break",
                from: day("2027-01-23"),
                to: day("2027-02-20"),
                rule: .shifts([Shift(role: "duty_officer", people: ["chen"], hours: F.hours("20:00-08:00"))])
            ),
        ]
        // Thursday 1 October runs Sunday's roster; Wednesday's night duty still ends at 07:00 on it.
        #expect(onDuty(r, "duty_officer", "2026-10-01T10:00:00") == ["liu-fang"])
        #expect(onDuty(r, "night_warden", "2026-10-01T03:00:00") == ["li-na", "sun-li"])
        #expect(onDuty(r, "night_warden", "2026-10-01T23:00:00") == ["li-na"], "no weekday night on a holiday")
        #expect(r.everyoneOnDuty(at: local("2026-10-01T10:00:00")).first?.holiday == "National Day")
        // Saturday 10 October is a working day.
        #expect(onDuty(r, "duty_officer", "2026-10-10T10:00:00") == ["zhang-wei"])
        #expect(onDuty(r, "night_warden", "2026-10-11T03:00:00") == ["li-na", "sun-li"])
        // Winter break: only its own shifts; its last night runs into the Sunday after it.
        #expect(onDuty(r, "security", "2027-01-25T10:00:00") == [])
        #expect(onDuty(r, "duty_officer", "2027-01-25T10:00:00") == [])
        #expect(onDuty(r, "duty_officer", "2027-02-21T07:00:00") == ["chen"])
        #expect(onDuty(r, "duty_officer", "2027-02-21T09:00:00") == ["liu-fang"], "a Sunday again")
        #expect(r.shifts(on: day("2027-01-22")).holiday == nil)
    }

    @Test("a shift scoped to buildings answers for those buildings only; site-wide ones for all")
    func buildingScopes() {
        let r = F.roster
        let night = "2026-11-20T23:00:00"
        #expect(onDuty(r, "night_warden", night, building: "dorm-a") == ["li-na"])
        #expect(onDuty(r, "night_warden", night, building: "dorm-b") == ["sun-li"])
        #expect(onDuty(r, "night_warden", night, building: "kitchen") == [])
        #expect(onDuty(r, "night_warden", night) == ["li-na", "sun-li"], "any building")
        #expect(onDuty(r, "security", night, building: "kitchen") == ["wang-qiang"])
        #expect(onDuty(r, "nobody", night) == [])
    }

    @Test("local time comes from the roster's time zone")
    func timeZone() {
        var r = F.roster
        let instant = local("2026-11-20T23:00:00")
        #expect(r.localTime(instant).day == CalendarDay(year: 2026, month: 11, day: 20))
        #expect(r.localTime(instant).secondOfDay == 23 * 3600)
        r.timeZone = TimeZone(identifier: "UTC")!
        #expect(r.localTime(instant).secondOfDay == 15 * 3600)
        #expect(r.onDuty(role: "night_warden", at: instant, building: nil).isEmpty, "15:00 in UTC")
    }

    @Test("shift hours and dates are parsed strictly")
    func parsing() {
        #expect(ShiftHours(parsing: "22:00-07:00")?.crossesMidnight == true)
        #expect(ShiftHours(parsing: "08:00-08:00")?.crossesMidnight == true, "24 hours")
        #expect(ShiftHours(parsing: "00:00-24:00")?.crossesMidnight == false)
        #expect(ShiftHours(parsing: "7:30-17:30")?.description == "07:30-17:30")
        #expect(ShiftHours(parsing: "00:00-00:00") == ShiftHours(start: 0, end: 1440), "all day")
        #expect(ShiftHours(parsing: "22:00-00:00") == ShiftHours(start: 1320, end: 1440), "until midnight")
        for bad in [
            "25:00-07:00", "08:00-24:01", "24:00-08:00", "8-9", "08:60-09:00", "08:00", "08:00-09:00-10:00", "",
        ] {
            #expect(ShiftHours(parsing: bad) == nil, "\(bad)")
        }
        #expect(CalendarDay(parsing: "2026-10-01")?.weekday == .thursday)
        #expect(CalendarDay(parsing: "2028-02-29")?.description == "2028-02-29")
        for bad in ["2026-02-29", "2026-13-01", "2026-1-01", "26-10-01", "2026-10-01T00"] {
            #expect(CalendarDay(parsing: bad) == nil, "\(bad)")
        }
        #expect(Weekday(name: "Sun") == .sunday && Weekday(name: "monday") == .monday && Weekday(name: "mo") == nil)
    }
}
