import CampusGuardCore
import CampusGuardTestKit
import Testing

@Suite("Self-tests, maintenance and drills are marked as tests")
struct TestMarkingTests {
    let campus = TestCampus.make([
        ("s1", "test-smoke", "dorm-a/3/301"),
        ("s2", "test-smoke", "dorm-a/3/301"),
        ("s3", "test-smoke", "dorm-b/2/201"),
    ])

    @Test("a self-test reading raises an alarm marked test")
    func selfTest() {
        var d = EngineDriver(campus: campus)
        let e = d.send("s1", "smoke", .bool(true), selfTest: true)
        #expect(e.first?.test == true)
        #expect(e.first?.kind == .smoke)
    }

    @Test("a test alarm and a real one are kept apart: a test never confirms a real fire, nor hides one")
    func testAndRealApart() {
        var d = EngineDriver(campus: campus)
        d.send("s1", "smoke", .bool(true), selfTest: true)
        let real = d.send("s2", "smoke", .bool(true))
        #expect(real.map(\.type) == [.alarmRaised])
        #expect(real.first?.test == false)
        #expect(real.first?.kind == .smoke)
        #expect(d.engine.openAlarms.count == 2)
    }

    @Test("a device in maintenance raises test alarms until the maintenance ends")
    func maintenance() throws {
        var d = EngineDriver(campus: campus)
        try d.engine.startMaintenance(device: "s1", until: testStart + .minutes(30))
        #expect(d.send("s1", "smoke", .bool(true)).first?.test == true)
        d.send("s1", "smoke", .bool(false))
        d.advance(by: 31 * 60)
        #expect(d.send("s1", "smoke", .bool(true)).last?.test == false, "maintenance expired")
    }

    @Test("a drill of one building marks that building's alarms only")
    func drillScope() {
        var d = EngineDriver(campus: campus)
        d.engine.startDrill(Drill(name: "dorm A drill", buildings: ["dorm-a"], startedAt: d.now))
        #expect(d.send("s1", "smoke", .bool(true)).first?.test == true)
        #expect(d.send("s3", "smoke", .bool(true)).first?.test == false)
        d.engine.stopDrill()
        #expect(d.send("s2", "smoke", .bool(true)).first?.test == false)
    }
}
