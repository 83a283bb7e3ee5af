import CampusGuardConfig
import CampusGuardCore
import Foundation
import Testing

@Suite("Config: people, roster and escalation")
struct EscalationConfigTests {
    static let head = """
        site: {id: s, name: S, timezone: Asia/Shanghai}
        locations: [{id: dorm-a, name: A, kind: dormitory}, {id: kitchen, name: K, kind: kitchen}]
        devices: []
        channels: [{id: ding, type: dingtalk, url: "https://example.invalid/robot"}]

        """

    func load(_ body: String) throws(ConfigError) -> SiteConfig {
        try ConfigLoader.load(text: Self.head + body, file: "t.yaml", directory: RepositoryPaths.root + "/Config")
            .config
    }

    func diagnostics(_ body: String) -> [String] {
        do {
            _ = try load(body)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test("the example config's roster and policies: a boarding school with night duty")
    func example() throws {
        let c = try ConfigLoader.load(file: RepositoryPaths.exampleConfig).config
        #expect(c.roster.timeZone.identifier == "Asia/Shanghai")
        #expect(c.roster.roles.map(\.id).contains("night_warden"))
        #expect(c.roster.people.count >= 5)
        #expect(c.roster.shifts.contains { $0.hours.crossesMidnight && $0.buildings == ["dorm-a"] })
        #expect(c.roster.holidays.count == 3)
        #expect(c.escalationPolicies.map(\.id).first == "tests")
        let night = RFC3339.parse("2026-11-20T23:00:00+08:00")!
        #expect(c.roster.onDuty(role: "night_warden", at: night, building: "dorm-a").map(\.id) == ["li-na"])
    }

    @Test("without people, roster or escalation: an empty roster and the default policy")
    func absent() throws {
        let c = try load("")
        #expect(c.roster.people.isEmpty && c.roster.shifts.isEmpty)
        #expect(c.escalationPolicies.isEmpty)
        #expect(
            EscalationPlanner(config: c).policy(
                for: Event(
                    timestamp: Instant(millisecondsSinceEpoch: 0),
                    type: .alarmRaised,
                    alarm: "a",
                    kind: .fire,
                    severity: .critical,
                    devices: [],
                    location: "dorm-a/1/1"
                )
            ).id == "default"
        )
    }

    @Test("every key is read into the model")
    func full() throws {
        let c = try load(
            """
            people:
              - {id: li, name: Li, phone: "138", channels: [ding]}
              - {id: wang, name: Wang}
            roster:
              roles: [{id: warden, name: 宿管}, {id: officer}]
              shifts:
                - {role: warden, people: [li], days: [mon, Tuesday, weekends], time: "22:00-07:00", buildings: [dorm-a]}
                - {role: officer, people: [wang, li], time: "08:00-08:00"}
              holidays:
                - {name: N, from: 2026-10-01, to: 2026-10-07, like: sunday}
                - name: W
                  date: 2027-01-01
                  shifts: [{role: officer, people: [wang], time: "00:00-24:00"}]
            escalation:
              policies:
                - id: urgent
                  match: {kinds: [fire, panic], min_severity: critical, buildings: [dorm-a], test: false}
                  police: false
                  reacknowledge_after: 15m
                  tiers:
                    - {roles: [warden], people: [wang], channels: [ding], repeat: {every: 1m, times: 3}}
                    - {after: 2m, roles: [officer]}
                - id: rest
                  tiers: [{roles: [officer]}]
            """
        )
        #expect(c.roster.people[0] == Person(id: "li", name: "Li", phone: "138", channels: ["ding"]))
        #expect(c.roster.roles == [DutyRole(id: "warden", name: "宿管"), DutyRole(id: "officer")])
        #expect(c.roster.shifts[0].days == [.monday, .tuesday, .saturday, .sunday])
        #expect(c.roster.shifts[0].hours.description == "22:00-07:00")
        #expect(c.roster.shifts[1].days == Weekday.everyday && c.roster.shifts[1].buildings == nil)
        #expect(c.roster.holidays[0].rule == .like(.sunday))
        #expect(c.roster.holidays[1].from == CalendarDay(year: 2027, month: 1, day: 1))
        let urgent = c.escalationPolicies[0]
        #expect(
            urgent.match
                == .init(kinds: [.fire, .panic], minimumSeverity: .critical, buildings: ["dorm-a"], test: false)
        )
        #expect(urgent.police == false && urgent.reacknowledgeAfter == .minutes(15))
        #expect(
            urgent.tiers[0]
                == EscalationTier(
                    recipients: [.role("warden"), .person("wang")],
                    channels: ["ding"],
                    repeatEvery: .minutes(1),
                    repeatTimes: 3
                )
        )
        #expect(urgent.tiers[1].after == .minutes(2) && urgent.tiers[1].channels == nil)
        #expect(c.escalationPolicies[1].match == EscalationPolicy.Match())
    }

    @Test("unknown channels, roles, people and locations are reported where they are written")
    func unknownReferences() {
        let found = diagnostics(
            """
            people:
              - {id: li, name: Li, channels: [pager]}
            roster:
              roles: [{id: warden}]
              shifts:
                - {role: guard, people: [li, ghost], time: "08:00-18:00", buildings: [gym]}
            escalation:
              policies:
                - id: p
                  match: {kinds: [fire, flood], buildings: [gym]}
                  tiers: [{roles: [warden, boss], people: [ghost], channels: [sms]}]
            """
        )
        #expect(
            found == [
                "t.yaml:6:35: people[0].channels: unknown channel \"pager\" (not under channels)",
                "t.yaml:10:14: roster.shifts[0].role: unknown role \"guard\" (not under roster.roles)",
                "t.yaml:10:34: roster.shifts[0].people: unknown person \"ghost\" (not under people)",
                "t.yaml:10:75: roster.shifts[0].buildings: unknown location \"gym\" (not under locations)",
                "t.yaml:14:29: escalation.policies[0].match.kinds: \"flood\" is not an alarm kind (fire, smoke, gas_leak, electrical_fire_risk, overheat, panic, device_fault, tamper, low_battery)",
                "t.yaml:14:49: escalation.policies[0].match.buildings: unknown location \"gym\" (not under locations)",
                "t.yaml:15:32: escalation.policies[0].tiers[0].roles: unknown role \"boss\" (not under roster.roles)",
                "t.yaml:15:48: escalation.policies[0].tiers[0].people: unknown person \"ghost\" (not under people)",
                "t.yaml:15:67: escalation.policies[0].tiers[0].channels: unknown channel \"sms\" (not under channels)",
            ]
        )
    }

    @Test("bad times, days and dates, overlapping holidays and impossible policies are refused")
    func badValues() {
        let found = diagnostics(
            """
            people: [{id: li, name: Li}]
            roster:
              roles: [{id: w}]
              shifts:
                - {role: w, people: [li], time: "22:00-31:00"}
                - {role: w, people: [li], days: [someday], time: "8-9"}
              holidays:
                - {name: A, from: 2026-10-01, to: 2026-10-07, like: sunday}
                - {name: B, date: 2026-10-05, like: monday}
                - {name: C, from: 2026-12-31, to: 2026-12-01, like: sunday}
                - {name: D, date: 2026-02-30, like: sunday}
                - {name: E, date: 2027-01-01, like: funday}
                - {name: F, date: 2027-02-01}
            escalation:
              policies:
                - {id: all, reacknowledge_after: 30s, tiers: [{roles: [w], repeat: {every: 5s, times: 3}}]}
                - {id: never, tiers: []}
            """
        )
        #expect(
            found == [
                "t.yaml:9:37: roster.shifts[0].time \"22:00-31:00\" must be HH:MM-HH:MM, e.g. 08:00-18:00 or 22:00-07:00 (across midnight)",
                "t.yaml:10:38: roster.shifts[1].days: \"someday\" is not weekdays, weekends, everyday or a weekday such as monday",
                "t.yaml:10:54: roster.shifts[1].time \"8-9\" must be HH:MM-HH:MM, e.g. 08:00-18:00 or 22:00-07:00 (across midnight)",
                "t.yaml:13:23: roster.holidays[1]: 2026-10-05…2026-10-05 overlaps holiday \"A\" (2026-10-01…2026-10-07)",
                "t.yaml:14:39: roster.holidays[2].to 2026-12-01 is before from 2026-12-31",
                "t.yaml:15:23: roster.holidays[3].date \"2026-02-30\" must be a date YYYY-MM-DD",
                "t.yaml:16:41: roster.holidays[4].like must be a weekday such as sunday or monday",
                "t.yaml:17:7: roster.holidays[5]: give either like: WEEKDAY (e.g. sunday) or shifts: [...], not both",
                "t.yaml:20:38: escalation.policies[0].reacknowledge_after must be at least 1m",
                "t.yaml:20:80: escalation.policies[0].tiers[0].repeat.every must be at least 10s",
                "t.yaml:21:7: escalation.policies[1] is never used: policy all before it matches every alarm",
                "t.yaml:21:26: escalation.policies[1].tiers must list at least one tier",
            ]
        )
    }

    @Test("a holiday's shifts have no days, and a date range needs both ends")
    func holidayShape() {
        let found = diagnostics(
            """
            people: [{id: li, name: Li}]
            roster:
              roles: [{id: w}]
              holidays:
                - {name: A, from: 2026-10-01, like: sunday}
                - {name: B, date: 2026-11-01, shifts: [{role: w, people: [li], days: weekdays, time: "08:00-09:00"}]}
            """
        )
        #expect(
            found == [
                "t.yaml:9:7: roster.holidays[0]: a date range needs both from: and to:",
                "t.yaml:10:74: roster.holidays[1].shifts[0].days: a holiday's shifts run on every date of the holiday",
            ]
        )
    }
}
