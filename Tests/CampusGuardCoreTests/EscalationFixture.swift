import CampusGuardCore
import CampusGuardTestKit
import Foundation

/// A small boarding school's roster and policies for the escalation tests. `testStart` is
/// Saturday 2026-11-21 06:00 in Asia/Shanghai.
enum EscalationFixture {
    static let people = [
        Person(id: "li-na", name: "李娜", phone: "13800000006"),
        Person(id: "sun-li", name: "孙丽"),
        Person(id: "zhang-wei", name: "张伟"),
        Person(id: "liu-fang", name: "刘芳"),
        Person(id: "wang-qiang", name: "王强"),
        Person(id: "chen", name: "陈校长", channels: ["principal-wecom"]),
    ]

    static func hours(_ text: String) -> ShiftHours { ShiftHours(parsing: text)! }

    static let roster = DutyRoster(
        timeZone: TimeZone(identifier: "Asia/Shanghai")!,
        people: people,
        roles: ["night_warden", "duty_officer", "security", "principal"].map { DutyRole(id: $0) },
        shifts: [
            Shift(role: "night_warden", people: ["li-na"], hours: hours("22:00-07:00"), buildings: ["dorm-a"]),
            Shift(
                role: "night_warden",
                people: ["sun-li"],
                days: Weekday.weekdays,
                hours: hours("22:00-07:00"),
                buildings: ["dorm-b"]
            ),
            Shift(role: "duty_officer", people: ["zhang-wei"], days: Weekday.weekdays, hours: hours("08:00-08:00")),
            Shift(role: "duty_officer", people: ["liu-fang"], days: Weekday.weekends, hours: hours("08:00-08:00")),
            Shift(role: "security", people: ["wang-qiang"], hours: hours("00:00-24:00")),
            Shift(role: "principal", people: ["chen"], hours: hours("00:00-24:00")),
        ]
    )

    static let channels = ["ding", "hook", "principal-wecom"]
    static let buildings: Set<String> = ["dorm-a", "dorm-b", "kitchen"]

    /// Warden and security at once (repeated twice a minute apart), the duty officer after 2 minutes,
    /// the principal 5 minutes after that.
    static let emergencies = EscalationPolicy(
        id: "emergencies",
        match: .init(kinds: [.fire, .panic, .gasLeak, .smoke]),
        tiers: [
            EscalationTier(
                recipients: [.role("night_warden"), .role("security")],
                channels: ["ding"],
                repeatEvery: .minutes(1),
                repeatTimes: 2
            ),
            EscalationTier(recipients: [.role("duty_officer")], channels: ["ding"], after: .minutes(2)),
            EscalationTier(recipients: [.role("principal")], channels: ["hook"], after: .minutes(5)),
        ],
        reacknowledgeAfter: .minutes(15)
    )

    static func planner(
        policies: [EscalationPolicy] = [emergencies],
        policeLink: Bool = true
    ) -> EscalationPlanner {
        EscalationPlanner(
            roster: roster,
            policies: policies,
            channels: channels,
            policeLink: policeLink,
            buildings: buildings
        )
    }

    /// An engine-shaped event for alarm `id`.
    static func event(
        _ type: EventType,
        _ id: String = "A",
        kind: AlarmKind = .fire,
        severity: Severity? = nil,
        location: String = "dorm-a/3/301",
        test: Bool = false,
        reason: String? = nil,
        at: Instant = testStart
    ) -> Event {
        Event(
            timestamp: at,
            type: type,
            alarm: id,
            kind: kind,
            severity: severity ?? kind.defaultSeverity,
            devices: ["d1"],
            location: location,
            test: test,
            reason: reason
        )
    }

    static func at(_ seconds: Int64) -> Instant { testStart + .seconds(seconds) }
}

extension EscalationPlanner {
    /// `handle` at the event's own timestamp, as the daemon and replay do.
    mutating func handle(_ event: Event) -> EscalationActions { handle(event, at: event.timestamp) }
}
