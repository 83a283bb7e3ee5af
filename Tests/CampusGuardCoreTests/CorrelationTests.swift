import CampusGuardCore
import CampusGuardTestKit
import Testing

@Suite("Correlation within a room and a time window")
struct CorrelationTests {
    let campus = TestCampus.make([
        ("s1", "test-smoke", "dorm-a/3/301"),
        ("s2", "test-smoke", "dorm-a/3/301"),
        ("s3", "test-smoke", "dorm-a/3/302"),
        ("t1", "test-temperature", "dorm-a/3/301"),
        ("g1", "test-gas", "kitchen/1/stoves"),
        ("r1", "test-rcm", "kitchen/1/stoves"),
        ("r2", "test-rcm", "kitchen/1/office"),
    ])

    @Test("two smoke detectors in one room confirm fire")
    func twoSmokeDetectors() throws {
        var d = EngineDriver(campus: campus)
        let first = d.send("s1", "smoke", .bool(true))
        #expect(first.map(\.type) == [.alarmRaised])
        #expect(first.first?.kind == .smoke)
        #expect(first.first?.severity == .major)
        d.advance(by: 20)
        let second = d.send("s2", "smoke", .bool(true))
        let update = try #require(second.first)
        #expect(second.count == 1)
        #expect(update.type == .alarmUpdated)
        #expect(update.kind == .fire)
        #expect(update.severity == .critical)
        #expect(update.previousKind == .smoke)
        #expect(update.reason == "two_smoke_detectors")
        #expect(update.devices == ["s1", "s2"])
        #expect(update.alarm == first.first?.alarm, "one incident, one alarm id")
    }

    @Test("smoke and heat from two devices in one room confirm fire")
    func smokeAndHeat() {
        var d = EngineDriver(campus: campus)
        d.send("t1", "temperature", .number(60))
        d.advance(by: 10)
        let e = d.send("s1", "smoke", .bool(true))
        #expect(e.first?.kind == .fire)
        #expect(e.first?.reason == "smoke_and_heat")
    }

    @Test("smoke detectors in different rooms do not confirm each other")
    func differentRooms() {
        var d = EngineDriver(campus: campus)
        d.send("s1", "smoke", .bool(true))
        d.send("s3", "smoke", .bool(true))
        #expect(d.events.map(\.kind) == [.smoke, .smoke])
        #expect(d.engine.openAlarms.count == 2)
    }

    @Test("a second detector after the correlation window does not confirm a resolved false alarm")
    func resolvedSignalsDoNotConfirm() throws {
        var d = EngineDriver(campus: campus)
        let raised = try #require(d.send("s1", "smoke", .bool(true)).first?.alarm)
        try d.acknowledge(raised)
        d.advance(by: 10)
        d.send("s1", "smoke", .bool(false))
        try d.resolve(raised, note: "steam from a shower")
        d.advance(by: 30)
        let next = d.send("s2", "smoke", .bool(true))
        #expect(next.first?.type == .alarmRaised)
        #expect(next.first?.kind == .smoke, "the resolved detector's signal no longer counts")
    }

    @Test("gas and an electrical anomaly in one room make the gas alarm critical")
    func gasAndElectrical() {
        var d = EngineDriver(campus: campus)
        #expect(d.send("g1", "gas", .number(25)).first?.severity == .major)
        let e = d.send("r1", "residual_current.1", .number(350))
        #expect(e.map(\.type) == [.alarmRaised, .alarmUpdated])
        #expect(e[0].kind == .electricalFireRisk)
        #expect(e[1].kind == .gasLeak)
        #expect(e[1].severity == .critical)
        #expect(e[1].reason == "gas_and_electrical")
    }

    @Test("gas and an electrical anomaly in different rooms stay as they are")
    func gasAndElectricalApart() {
        var d = EngineDriver(campus: campus)
        d.send("g1", "gas", .number(25))
        d.send("r2", "residual_current.1", .number(350))
        #expect(d.events.map(\.severity) == [.major, .major])
    }

    @Test("gas alarms latch: the condition clears, the alarm stays until a person resolves it")
    func gasLatches() throws {
        var d = EngineDriver(campus: campus)
        let id = try #require(d.send("g1", "gas", .number(30)).first?.alarm)
        d.advance(by: 60)
        #expect(d.send("g1", "gas", .number(2)).map(\.type) == [.alarmCleared])
        #expect(d.engine.alarm(id)?.state == .cleared)
        let resolved = try d.resolve(id, by: "张师傅", note: "valve closed, ventilated")
        #expect(resolved.first?.type == .alarmResolved)
        #expect(resolved.first?.by == "张师傅")
        #expect(resolved.first?.note == "valve closed, ventilated")
        #expect(d.engine.openAlarms.isEmpty)
    }

    @Test("resolving while gas is still present is refused")
    func resolveRefusedWhilePresent() throws {
        var d = EngineDriver(campus: campus)
        let id = try #require(d.send("g1", "gas", .number(30)).first?.alarm)
        #expect(throws: EngineError.conditionStillPresent(id)) { try d.resolve(id) }
        #expect(d.engine.alarm(id) != nil)
    }

    @Test("an alarm whose condition returns before it is resolved is updated, not raised again")
    func conditionReturns() throws {
        var d = EngineDriver(campus: campus)
        let id = try #require(d.send("g1", "gas", .number(30)).first?.alarm)
        d.send("g1", "gas", .number(2))
        let back = d.send("g1", "gas", .number(30))
        #expect(back.map(\.type) == [.alarmUpdated])
        #expect(back.first?.reason == "condition_returned")
        #expect(back.first?.alarm == id)
    }
}
