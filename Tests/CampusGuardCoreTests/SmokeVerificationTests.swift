import CampusGuardCore
import CampusGuardTestKit
import Testing

@Suite("A single smoke detector: verify, or treat as fire")
struct SmokeVerificationTests {
    let campus = TestCampus.make([("s1", "test-smoke", "dorm-a/3/301")])

    @Test("a single smoke alarm not acknowledged within 60 s becomes fire at exactly 60 s")
    func notAcknowledged() throws {
        var d = EngineDriver(campus: campus)
        d.advance(by: 100)
        let id = try #require(d.send("s1", "smoke", .bool(true)).first?.alarm)
        #expect(d.advance(by: 59.9).isEmpty)
        let fire = d.advance(by: 1)
        #expect(fire.count == 1)
        #expect(fire.first?.type == .alarmUpdated)
        #expect(fire.first?.alarm == id)
        #expect(fire.first?.kind == .fire)
        #expect(fire.first?.previousKind == .smoke)
        #expect(fire.first?.severity == .critical)
        #expect(fire.first?.reason == "not_acknowledged")
        #expect(fire.first.map(d.seconds) == 160)
    }

    @Test("smoke that clears by itself still becomes fire when nobody acknowledges it")
    func clearedButUnacknowledged() throws {
        var d = EngineDriver(campus: campus)
        d.send("s1", "smoke", .bool(true))
        d.advance(by: 10)
        #expect(d.send("s1", "smoke", .bool(false)).map(\.type) == [.alarmCleared])
        #expect(d.advance(by: 60).map(\.kind) == [.fire])
    }

    @Test("acknowledged in time and resolved within the investigation time: it stays smoke")
    func acknowledgedAndResolved() throws {
        var d = EngineDriver(campus: campus)
        let id = try #require(d.send("s1", "smoke", .bool(true)).first?.alarm)
        d.advance(by: 30)
        #expect(try d.acknowledge(id, by: "王老师").first?.by == "王老师")
        d.advance(by: 60)
        d.send("s1", "smoke", .bool(false))
        d.advance(by: 30)
        try d.resolve(id, note: "burnt toast")
        d.advance(by: 600)
        #expect(!d.events.contains { $0.kind == .fire })
    }

    @Test("acknowledged but not resolved within 180 s: treated as fire")
    func acknowledgedNotResolved() throws {
        var d = EngineDriver(campus: campus)
        let id = try #require(d.send("s1", "smoke", .bool(true)).first?.alarm)
        d.advance(by: 10)
        try d.acknowledge(id)
        #expect(d.advance(by: 179).isEmpty)
        let fire = d.advance(by: 2)
        #expect(fire.first?.kind == .fire)
        #expect(fire.first?.reason == "not_resolved_in_time")
        #expect(fire.first.map(d.seconds) == 190)
    }

    @Test("the verification times come from the config")
    func configurable() throws {
        let campus = TestCampus.make(
            [("s1", "test-smoke", "dorm-a/3/301")],
            settings: EngineSettings(smokeAcknowledgeWithin: .seconds(15), smokeInvestigateWithin: .zero)
        )
        var d = EngineDriver(campus: campus)
        let id = try #require(d.send("s1", "smoke", .bool(true)).first?.alarm)
        #expect(d.advance(by: 16).first?.kind == .fire)
        var e = EngineDriver(campus: campus)
        let id2 = try #require(e.send("s1", "smoke", .bool(true)).first?.alarm)
        try e.acknowledge(id2)
        #expect(e.advance(by: 3600).isEmpty, "investigate_within 0s turns the second timer off")
        _ = id
    }

    @Test("acknowledging twice emits one event; an unknown alarm is an error")
    func acknowledgeIdempotent() throws {
        var d = EngineDriver(campus: campus)
        let id = try #require(d.send("s1", "smoke", .bool(true)).first?.alarm)
        #expect(try d.acknowledge(id).count == 1)
        #expect(try d.acknowledge(id).isEmpty)
        #expect(throws: EngineError.unknownAlarm("nope")) { try d.acknowledge("nope") }
    }
}
