import CampusGuardCore
import CampusGuardTestKit
import Testing

/// The engine and the planner together, as the daemon runs them.
struct EscalatedDriver {
    var engine: EngineDriver
    var planner: EscalationPlanner
    var deliveries: [PlannedDelivery] = []

    init(_ devices: [(String, String, String)], planner: EscalationPlanner = EscalationFixture.planner()) {
        engine = EngineDriver(campus: TestCampus.make(devices))
        self.planner = planner
    }

    /// Feeds engine events to the planner; returns what it planned.
    @discardableResult
    mutating func feed(_ events: [Event]) -> [PlannedDelivery] {
        var out: [PlannedDelivery] = []
        for e in events { out += planner.handle(e, at: e.timestamp).deliveries }
        deliveries += out
        return out
    }

    @discardableResult
    mutating func send(
        _ device: String,
        _ channel: String,
        _ value: ReadingValue,
        selfTest: Bool = false
    )
        -> [PlannedDelivery]
    {
        feed(engine.send(device, channel, value, selfTest: selfTest))
    }

    @discardableResult
    mutating func advance(by seconds: Double) -> [PlannedDelivery] {
        var out = feed(engine.advance(by: seconds))
        out += planner.tick(now: engine.now).deliveries
        deliveries += out.filter { d in !deliveries.contains(d) }
        return out
    }

    static func police(_ ds: [PlannedDelivery]) -> [PlannedDelivery] {
        ds.filter { if case .police = $0.target { true } else { false } }
    }
}

@Suite("Escalation: the police link")
struct EscalationPoliceTests {
    typealias F = EscalationFixture

    @Test("a panic press goes to the police link and to staff tier 1 at the same instant")
    func panic() throws {
        var d = EscalatedDriver([("p1", "test-panic", "dorm-a/1/lobby")])
        let out = d.send("p1", "button", .event("single"))
        let id = try #require(d.engine.events.first?.alarm)
        #expect(out.map(\.id) == ["\(id)/police/1", "\(id)/1/ding/1.1"])
        #expect(out.allSatisfy { $0.due == testStart })
        #expect(out[0].target == .police(restore: false))
        #expect(out[0].reason == .raised && out[0].event.kind == .panic)
    }

    @Test("a single smoke goes to staff only; confirmed as fire it reaches the police at once, and tier 1 again")
    func smokeThenFire() throws {
        var d = EscalatedDriver([("s1", "test-smoke", "dorm-a/3/301")])
        let first = d.send("s1", "smoke", .bool(true))
        let id = try #require(d.engine.events.first?.alarm)
        #expect(first.map(\.id) == ["\(id)/1/ding/1.1"])
        #expect(EscalatedDriver.police(d.advance(by: 59)).isEmpty)
        // Nobody acknowledged within 60 s: the engine calls it fire.
        let fire = d.advance(by: 1)
        #expect(d.engine.events.last?.kind == .fire)
        #expect(fire.map(\.id).prefix(2) == ["\(id)/police/1", "\(id)/1/ding/2.1"])
        #expect(fire[1].reason == .updated && fire[1].event.kind == .fire)
        #expect(fire.allSatisfy { $0.due == testStart + .seconds(60) })
    }

    @Test("smoke confirmed by a second detector reaches the police even after staff acknowledged the smoke")
    func confirmedAfterAck() throws {
        var d = EscalatedDriver([("s1", "test-smoke", "dorm-a/3/301"), ("s2", "test-smoke", "dorm-a/3/301")])
        d.send("s1", "smoke", .bool(true))
        let id = try #require(d.engine.events.first?.alarm)
        d.advance(by: 10)
        d.feed(try d.engine.acknowledge(id))
        d.advance(by: 10)
        let fire = d.send("s2", "smoke", .bool(true))
        #expect(fire.map(\.id) == ["\(id)/police/1", "\(id)/1/ding/2.1"], "tier 1 hears of it; no later tier")
        #expect(d.advance(by: 600).isEmpty)
    }

    @Test("self-tests and drills reach staff marked as tests, never the police")
    func testsNeverToPolice() throws {
        var d = EscalatedDriver([("p1", "test-panic", "dorm-a/1/lobby"), ("s1", "test-smoke", "dorm-a/3/301")])
        let selfTest = d.send("p1", "button", .event("single"), selfTest: true)
        #expect(!selfTest.isEmpty && selfTest.allSatisfy { $0.event.test && $0.tier == 1 })
        d.engine.engine.startDrill(Drill(name: "fire drill", startedAt: d.engine.now))
        d.send("s1", "smoke", .bool(true))
        d.advance(by: 600)
        #expect(d.engine.events.contains { $0.kind == .fire && $0.test })
        #expect(EscalatedDriver.police(d.deliveries).isEmpty)
        #expect(d.deliveries.contains { $0.event.kind == .fire && $0.event.test })
    }

    @Test("a restore follows when a police alarm clears, once, and again after the condition returns")
    func restore() throws {
        var d = EscalatedDriver([("g1", "test-gas", "kitchen/1/stoves")])
        let low = d.send("g1", "gas", .number(25))
        #expect(EscalatedDriver.police(low).isEmpty, "low gas is for staff")
        d.advance(by: 5)
        let id = try #require(d.engine.events.first?.alarm)
        let high = d.send("g1", "gas", .number(60))
        #expect(EscalatedDriver.police(high).map(\.id) == ["\(id)/police/1"], "high gas: to the police at once")
        d.advance(by: 5)
        let cleared = d.send("g1", "gas", .number(2))
        #expect(d.engine.events.last?.type == .alarmCleared)
        #expect(cleared.map(\.id) == ["\(id)/police-restore/1"])
        #expect(cleared[0].target == .police(restore: true) && cleared[0].reason == .restore)
        d.advance(by: 5)
        let back = d.send("g1", "gas", .number(70))
        #expect(EscalatedDriver.police(back).map(\.id) == ["\(id)/police/2"])
        d.advance(by: 5)
        d.send("g1", "gas", .number(1))
        d.advance(by: 5)
        let resolved = d.feed(try d.engine.resolve(id))
        #expect(EscalatedDriver.police(resolved).isEmpty, "already restored when it cleared")
        #expect(resolved.map(\.id).contains("\(id)/end/ding"))
        #expect(
            EscalatedDriver.police(d.deliveries).map(\.id) == [
                "\(id)/police/1", "\(id)/police-restore/1", "\(id)/police/2", "\(id)/police-restore/2",
            ]
        )
    }

    @Test("a panic resolved by a person restores the police link")
    func panicResolved() throws {
        var d = EscalatedDriver([("p1", "test-panic", "dorm-a/1/lobby")])
        d.send("p1", "button", .event("single"))
        let id = try #require(d.engine.events.first?.alarm)
        d.advance(by: 30)
        let resolved = d.feed(try d.engine.resolve(id, note: "false press"))
        #expect(resolved.first?.id == "\(id)/police-restore/1")
        #expect(resolved.first?.event.type == .alarmResolved)
    }

    @Test("nothing goes to the police without a police link, or under a policy that says police: false")
    func noPoliceLink() {
        var without = F.planner(policeLink: false)
        #expect(EscalatedDriver.police(without.handle(F.event(.alarmRaised, kind: .panic)).deliveries).isEmpty)
        var staffOnly = F.emergencies
        staffOnly.police = false
        var p = F.planner(policies: [staffOnly])
        #expect(EscalatedDriver.police(p.handle(F.event(.alarmRaised, kind: .fire)).deliveries).isEmpty)
        var q = F.planner(policies: [])
        #expect(EscalatedDriver.police(q.handle(F.event(.alarmRaised, kind: .fire)).deliveries).count == 1)
    }
}
