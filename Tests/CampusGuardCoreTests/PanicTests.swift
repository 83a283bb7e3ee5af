import CampusGuardCore
import CampusGuardTestKit
import Testing

@Suite("One-key alarm (panic) buttons")
struct PanicTests {
    let campus = TestCampus.make([("p1", "test-panic", "dorm-a/1/lobby"), ("s1", "test-smoke", "dorm-a/3/301")])

    @Test("a press raises a critical panic at once; a release is not a press")
    func pressRaisesPanic() throws {
        var d = EngineDriver(campus: campus)
        let e = try #require(d.send("p1", "button", .event("single")).first)
        #expect(e.type == .alarmRaised)
        #expect(e.kind == .panic)
        #expect(e.severity == .critical)
        #expect(e.test == false)
        #expect(d.seconds(e) == 0, "no window, no delay")
        d.advance(by: 1)
        #expect(d.send("p1", "button", .event("release")).isEmpty)
        #expect(d.engine.openAlarms.count == 1)
    }

    @Test("the panic alarm latches until a person resolves it; more presses do not raise more alarms")
    func latches() throws {
        var d = EngineDriver(campus: campus)
        let id = try #require(d.send("p1", "button", .event("emergency")).first?.alarm)
        d.advance(by: 3600)
        #expect(d.engine.alarm(id)?.state == .raised)
        d.advance(by: 1)
        #expect(d.send("p1", "button", .event("emergency")).isEmpty)
        #expect(d.engine.alarm(id)?.presses == 2)
        let resolved = try d.resolve(id, by: "保安 李", note: "student locked out, safe")
        #expect(resolved.map(\.type) == [.alarmResolved])
        #expect(d.engine.openAlarms.isEmpty)
    }

    @Test("a press after someone acknowledged is reported again: the person is still in danger")
    func pressedAgainAfterAck() throws {
        var d = EngineDriver(campus: campus)
        let id = try #require(d.send("p1", "button", .event("single")).first?.alarm)
        try d.acknowledge(id)
        d.advance(by: 30)
        let again = d.send("p1", "button", .event("single"))
        #expect(again.map(\.type) == [.alarmUpdated])
        #expect(again.first?.reason == "pressed_again")
    }

    @Test("a panic button can never be put in maintenance")
    func neverDisabled() {
        var d = EngineDriver(campus: campus)
        #expect(throws: EngineError.panicButtonCannotBeDisabled("p1")) {
            try d.engine.startMaintenance(device: "p1", until: testStart + .hours(1))
        }
    }

    @Test("a drill does not mute panic buttons unless it says it covers them")
    func drillAndPanic() throws {
        var d = EngineDriver(campus: campus)
        d.engine.startDrill(Drill(name: "fire drill", startedAt: d.now))
        #expect(d.send("p1", "button", .event("single")).first?.test == false)
        #expect(d.send("s1", "smoke", .bool(true)).first?.test == true)
        var e = EngineDriver(campus: campus)
        e.engine.startDrill(Drill(name: "警校联动 drill", includesPanicButtons: true, startedAt: e.now))
        #expect(e.send("p1", "button", .event("single")).first?.test == true)
    }

    @Test("panic buttons are not supervised by silence (they only speak when pressed)")
    func notSupervised() {
        var d = EngineDriver(campus: campus)
        d.send("s1", "battery", .number(90))
        d.advance(by: 2 * 3600)
        #expect(!d.events.contains { $0.devices == ["p1"] })
    }
}
