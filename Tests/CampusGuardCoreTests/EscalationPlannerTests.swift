import CampusGuardCore
import CampusGuardTestKit
import Testing

@Suite("Escalation: tiers, acknowledgements, repeats and reminders")
struct EscalationPlannerTests {
    typealias F = EscalationFixture

    func staff(_ actions: EscalationActions) -> [String] {
        actions.deliveries.filter { $0.tier != nil }.map(\.id)
    }

    @Test("tiers fire in order, each its delay after the one before, while nobody acknowledges")
    func tiersInOrder() {
        var p = F.planner(policies: [F.emergencies], policeLink: false)
        let raised = p.handle(F.event(.alarmRaised, kind: .smoke))
        #expect(staff(raised) == ["A/1/ding/1.1"])
        #expect(raised.deliveries[0].recipients.map(\.id) == ["li-na", "wang-qiang"])
        #expect(raised.deliveries[0].due == testStart)
        #expect(raised.deliveries[0].reason == .raised)
        #expect(raised.events.map(\.type) == [.deliveryPlanned])
        #expect(raised.events[0].channel == "ding" && raised.events[0].tier == 1 && raised.events[0].reason == "raised")

        #expect(p.nextDeadline == F.at(60), "tier 1's first repeat")
        #expect(staff(p.tick(now: F.at(59))).isEmpty)
        #expect(staff(p.tick(now: F.at(60))) == ["A/1/ding/1.2"])
        #expect(staff(p.tick(now: F.at(119))).isEmpty)

        let second = p.tick(now: F.at(120))
        #expect(staff(second) == ["A/1/ding/1.3", "A/2/ding/1.1"])
        #expect(second.deliveries[1].recipients.map(\.id) == ["zhang-wei"])
        #expect(second.deliveries[1].reason == .escalated)
        let escalated = second.events.filter { $0.type == .alarmEscalated }
        #expect(escalated.count == 1)
        #expect(escalated.first?.tier == 2 && escalated.first?.timestamp == F.at(120))

        #expect(p.nextDeadline == F.at(420))
        let third = p.tick(now: F.at(420))
        #expect(staff(third) == ["A/3/hook/1.1", "A/3/principal-wecom/1.1"], "the principal's own channel is added")
        #expect(third.deliveries.allSatisfy { $0.recipients.map(\.id) == ["chen"] })
        #expect(p.nextDeadline == nil)
        #expect(p.tick(now: F.at(86_400)).isEmpty)
    }

    @Test("an acknowledgement stops the later tiers and the repeats")
    func acknowledgementStops() {
        var p = F.planner(policeLink: false)
        _ = p.handle(F.event(.alarmRaised, kind: .smoke))
        _ = p.tick(now: F.at(60))
        let ack = p.handle(F.event(.alarmAcknowledged, kind: .smoke, at: F.at(90)))
        #expect(ack.isEmpty)
        #expect(p.tick(now: F.at(600)).isEmpty, "no tier 2, no more repeats")
        #expect(p.nextDeadline == F.at(90 + 900), "only the reminder is left")
    }

    @Test("repeats stop after their count; missed ones are planned once, as the latest")
    func repeatsBounded() {
        // Nobody ticked for 400 s (a daemon that was down): one repeat, the last one due.
        var q = F.planner(policeLink: false)
        _ = q.handle(F.event(.alarmRaised, kind: .smoke))
        let caughtUp = q.tick(now: F.at(400))
        #expect(staff(caughtUp) == ["A/1/ding/1.3", "A/2/ding/1.1"])
        var all: [String] = []
        var r = F.planner(policies: [F.emergencies], policeLink: false)
        all += staff(r.handle(F.event(.alarmRaised, kind: .smoke)))
        for s in stride(from: 1, through: 3600, by: 1) { all += staff(r.tick(now: F.at(Int64(s)))) }
        #expect(all.filter { $0.hasPrefix("A/1/") } == ["A/1/ding/1.1", "A/1/ding/1.2", "A/1/ding/1.3"])
    }

    @Test("reacknowledge_after reminds tier 1 of an acknowledged alarm while its condition holds")
    func reacknowledge() {
        var p = F.planner(policeLink: false)
        _ = p.handle(F.event(.alarmRaised, kind: .gasLeak, location: "kitchen/1/stoves"))
        _ = p.handle(F.event(.alarmAcknowledged, kind: .gasLeak, location: "kitchen/1/stoves", at: F.at(30)))
        #expect(p.tick(now: F.at(30 + 899)).isEmpty)
        let first = p.tick(now: F.at(30 + 900))
        #expect(staff(first) == ["A/1/ding/1.r1"])
        #expect(first.deliveries[0].reason == .reminder)
        #expect(first.deliveries[0].recipients.map(\.id) == ["wang-qiang"], "no warden for the kitchen")
        #expect(staff(p.tick(now: F.at(30 + 1800))) == ["A/1/ding/1.r2"])
        _ = p.handle(F.event(.alarmCleared, kind: .gasLeak, location: "kitchen/1/stoves", at: F.at(2000)))
        #expect(p.tick(now: F.at(30 + 2700)).isEmpty, "the gas is gone: no more reminders")
        #expect(p.nextDeadline == nil)
    }

    @Test("with no policies every alarm goes to every channel at once, to everyone on duty for its building")
    func defaultPolicy() {
        var p = F.planner(policies: [], policeLink: false)
        let out = p.handle(F.event(.alarmRaised, kind: .overheat, location: "dorm-b/2/201"))
        #expect(out.deliveries.map(\.id) == ["A/1/ding/1.1", "A/1/hook/1.1", "A/1/principal-wecom/1.1"])
        #expect(out.deliveries[0].recipients.map(\.id) == ["sun-li", "zhang-wei", "wang-qiang", "chen"])
        #expect(p.nextDeadline == nil)
        #expect(p.policy(for: F.event(.alarmRaised)).id == "default")
    }

    @Test("the first matching policy wins: kinds, minimum severity, buildings, tests; none matching is the default")
    func policyMatching() {
        let tests = EscalationPolicy(id: "tests", match: .init(test: true), tiers: [.init(recipients: [])])
        let kitchenGas = EscalationPolicy(
            id: "kitchen-gas",
            match: .init(kinds: [.gasLeak], minimumSeverity: .critical, buildings: ["kitchen"]),
            tiers: [.init(recipients: [])]
        )
        let p = F.planner(policies: [tests, kitchenGas, F.emergencies])
        func policy(_ kind: AlarmKind, _ severity: Severity, _ location: String, test: Bool = false) -> String {
            p.policy(for: F.event(.alarmRaised, kind: kind, severity: severity, location: location, test: test)).id
        }
        #expect(policy(.gasLeak, .critical, "kitchen/1/stoves") == "kitchen-gas")
        #expect(policy(.gasLeak, .critical, "kitchen/1/stoves", test: true) == "tests")
        #expect(policy(.gasLeak, .major, "kitchen/1/stoves") == "emergencies")
        #expect(policy(.gasLeak, .critical, "dorm-a/1/x") == "emergencies")
        #expect(policy(.tamper, .minor, "dorm-a/1/x") == "default")
        #expect(p.building(of: "test-school") == nil, "a site-wide location has no building")
    }

    @Test("a tier reaches its channels also when nobody is on duty")
    func nobodyOnDuty() {
        let policy = EscalationPolicy(
            id: "officer",
            tiers: [EscalationTier(recipients: [.role("duty_officer")], channels: ["ding"])]
        )
        var p = F.planner(policies: [policy], policeLink: false)
        // Saturday 10:00: liu-fang's weekend shift; Monday 07:59: still her Sunday 24-hour shift.
        let saturday = p.handle(F.event(.alarmRaised, "S", kind: .tamper, at: F.at(4 * 3600)))
        #expect(saturday.deliveries.first?.recipients.map(\.id) == ["liu-fang"])
        var empty = EscalationPlanner(
            roster: DutyRoster(),
            policies: [policy],
            channels: F.channels,
            policeLink: false,
            buildings: F.buildings
        )
        let out = empty.handle(F.event(.alarmRaised, "N", kind: .tamper))
        #expect(out.deliveries.map(\.id) == ["N/1/ding/1.1"])
        #expect(out.deliveries.first?.recipients.isEmpty == true)
    }

    @Test("faults go to staff by their policy, never to the police, and their end is announced")
    func faults() {
        var p = F.planner(policies: [F.emergencies])
        let raised = p.handle(F.event(.faultRaised, "F", kind: .deviceFault, reason: "silent"))
        #expect(raised.deliveries.allSatisfy { $0.tier == 1 })
        #expect(!raised.deliveries.isEmpty)
        let cleared = p.handle(F.event(.faultCleared, "F", kind: .deviceFault, at: F.at(100)))
        #expect(cleared.deliveries.map(\.id) == ["F/end/ding", "F/end/hook", "F/end/principal-wecom"])
        #expect(cleared.deliveries.allSatisfy { $0.reason == .closed && $0.event.type == .faultCleared })
        #expect(p.openAlarms.isEmpty)
    }

    @Test("resolving stops everything and tells the channels that heard of the alarm")
    func resolvedStopsEverything() {
        var p = F.planner(policeLink: false)
        _ = p.handle(F.event(.alarmRaised, kind: .smoke))
        _ = p.tick(now: F.at(120))
        let resolved = p.handle(F.event(.alarmResolved, kind: .smoke, at: F.at(130)))
        #expect(resolved.deliveries.map(\.id) == ["A/end/ding"])
        #expect(resolved.deliveries[0].recipients.map(\.id) == ["zhang-wei"], "as last addressed there")
        #expect(p.tick(now: F.at(3600)).isEmpty)
        #expect(p.nextDeadline == nil)
        #expect(p.handle(F.event(.alarmAcknowledged, kind: .smoke, at: F.at(3601))).isEmpty, "unknown now")
    }
}
