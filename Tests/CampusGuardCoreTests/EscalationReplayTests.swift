import CampusGuardCore
import CampusGuardTestKit
import Testing

@Suite("Escalation: a restarted planner continues where the old one stopped")
struct EscalationReplayTests {
    typealias F = EscalationFixture

    /// A night of alarms: a smoke that becomes fire and is acknowledged late, a panic, a fault.
    static let story: [Event] = [
        F.event(.alarmRaised, "S", kind: .smoke),
        F.event(.alarmRaised, "P", kind: .panic, location: "dorm-b/1/duty-room", at: F.at(20)),
        F.event(.alarmUpdated, "S", kind: .fire, reason: "not_acknowledged", at: F.at(60)),
        F.event(.faultRaised, "F", kind: .deviceFault, location: "kitchen/1/stoves", at: F.at(90)),
        F.event(.alarmAcknowledged, "P", kind: .panic, location: "dorm-b/1/duty-room", at: F.at(150)),
        F.event(.alarmAcknowledged, "S", kind: .fire, at: F.at(200)),
        F.event(.faultCleared, "F", kind: .deviceFault, location: "kitchen/1/stoves", at: F.at(400)),
        F.event(.alarmCleared, "S", kind: .fire, at: F.at(1000)),
        F.event(.alarmResolved, "S", kind: .fire, at: F.at(1200)),
    ]

    /// The live run: every event as it comes, and a tick every second in between.
    func live(until end: Int64) -> (EscalationPlanner, [PlannedDelivery], [Event]) {
        var p = F.planner()
        var deliveries: [PlannedDelivery] = []
        var recorded: [Event] = []
        var pending = Self.story[...]
        for s in 0...end {
            let now = F.at(s)
            while let e = pending.first, e.timestamp <= now {
                pending = pending.dropFirst()
                recorded.append(e)
                let a = p.handle(e)
                deliveries += a.deliveries
                recorded += a.events
            }
            let a = p.tick(now: now)
            deliveries += a.deliveries
            recorded += a.events
        }
        return (p, deliveries, recorded)
    }

    @Test("replaying the same events plans the same delivery ids, and nothing the live run did not")
    func sameIDs() {
        let (_, liveDeliveries, recorded) = live(until: 3600)
        let liveIDs = liveDeliveries.map(\.id)
        #expect(Set(liveIDs).count == liveIDs.count, "ids are unique")
        var rebuilt = F.planner()
        var replayed = rebuilt.replay(recorded).deliveries
        replayed += rebuilt.tick(now: F.at(3600)).deliveries
        #expect(Set(replayed.map(\.id)).isSubset(of: Set(liveIDs)))
        // Rebuilt from the events alone, the story's decisive deliveries all come out again.
        // S/2/ding/2.1: tier 2, due at 180 s, before the acknowledgement at 200 s.
        let decisive = [
            "S/1/ding/1.1", "S/police/1", "S/1/ding/2.1", "S/2/ding/2.1", "S/police-restore/1", "P/police/1",
            "F/end/ding",
        ]
        for id in decisive {
            #expect(replayed.contains { $0.id == id }, "\(id)")
            #expect(liveIDs.contains(id), "\(id)")
        }
        #expect(replayed.first { $0.id == "S/2/ding/2.1" }?.due == F.at(180))
        #expect(!replayed.contains { $0.id.hasPrefix("S/3/") }, "acknowledged before tier 3")
        #expect(rebuilt.openAlarms == ["P"])
    }

    @Test("a planner rebuilt after a restart carries on with the same timers and ids as one that never stopped")
    func restartMidway() {
        var (liveOn, _, recordedBefore) = live(until: 100)
        var rebuilt = F.planner()
        _ = rebuilt.replay(recordedBefore)
        _ = rebuilt.tick(now: F.at(100))
        #expect(rebuilt.nextDeadline == liveOn.nextDeadline)
        #expect(rebuilt.openAlarms == liveOn.openAlarms)
        var a: [String] = []
        var b: [String] = []
        for e in Self.story where e.timestamp > F.at(100) {
            a += rebuilt.handle(e).deliveries.map(\.id)
            b += liveOn.handle(e).deliveries.map(\.id)
        }
        for s in stride(from: Int64(1300), through: 7200, by: 60) {
            a += rebuilt.tick(now: F.at(s)).deliveries.map(\.id)
            b += liveOn.tick(now: F.at(s)).deliveries.map(\.id)
        }
        #expect(a == b)
        #expect(a.contains("P/1/ding/1.r1"), "the panic's reminder, 15 minutes after its acknowledgement")
    }
}
