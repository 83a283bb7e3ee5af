import CampusGuardCore
import CampusGuardTestKit
import Testing

@Suite("Supervision: silent and unavailable devices, grouped by root cause")
struct SupervisionTests {
    @Test("a device silent past its profile's interval × missed reports is a fault; it clears when it reports")
    func silentDevice() throws {
        // test-rcm: 30 s × 3 = 90 s, then the 5 s grouping delay: 95 s, inside the 100 s limit.
        let campus = TestCampus.make([("r1", "test-rcm", "dorm-a/1/power"), ("s1", "test-smoke", "dorm-a/3/301")])
        var d = EngineDriver(campus: campus)
        d.send("r1", "residual_current.1", .number(120))
        #expect(d.advance(by: 94).isEmpty)
        let fault = try #require(d.advance(by: 2).first)
        #expect(fault.type == .faultRaised)
        #expect(fault.kind == .deviceFault)
        #expect(fault.severity == .minor)
        #expect(fault.reason == "silent")
        #expect(fault.devices == ["r1"])
        #expect(d.seconds(fault) == 95)
        #expect(d.seconds(fault) <= 100, "EN 54-2: a fault is indicated within 100 s")
        d.advance(by: 30)
        let cleared = d.send("r1", "residual_current.1", .number(110))
        #expect(cleared.map(\.type) == [.faultCleared])
        #expect(cleared.first?.alarm == fault.alarm)
    }

    @Test("a device never heard from counts its silence from the engine's start")
    func neverHeard() {
        let campus = TestCampus.make([("r1", "test-rcm", "dorm-a/1/power")])
        var d = EngineDriver(campus: campus)
        #expect(d.advance(by: 100).map(\.type) == [.faultRaised])
    }

    @Test("while one device is in fault, the others still alarm")
    func othersStillAlarm() {
        let campus = TestCampus.make([("r1", "test-rcm", "dorm-a/1/power"), ("r2", "test-rcm", "dorm-a/1/power2")])
        var d = EngineDriver(campus: campus)
        d.advance(by: 50)
        d.send("r2", "residual_current.1", .number(100))
        d.advance(by: 50)
        let e = d.send("r2", "residual_current.1", .number(400))
        #expect(e.first?.kind == .electricalFireRisk)
    }

    @Test("many devices of one building going silent together are ONE fault of the building")
    func buildingFault() throws {
        let ids = (1...6).map { "r\($0)" }
        let campus = TestCampus.make(
            ids.map { ($0, "test-rcm", "dorm-a/1/\($0)") } + [("x1", "test-rcm", "dorm-b/1/x")]
        )
        var d = EngineDriver(campus: campus)
        for id in ids + ["x1"] { d.send(id, "residual_current.1", .number(100)) }
        for _ in 0..<10 {
            d.advance(by: 10)
            d.send("x1", "residual_current.1", .number(100))
        }
        let faults = d.events(.faultRaised)
        #expect(faults.count == 1)
        let fault = try #require(faults.first)
        #expect(fault.reason == "building_offline")
        #expect(fault.location == "dorm-a")
        #expect(Set(fault.devices) == Set(ids))
        for id in ids.dropLast() { #expect(d.send(id, "residual_current.1", .number(100)).isEmpty) }
        let cleared = d.send("r6", "residual_current.1", .number(100))
        #expect(cleared.map(\.type) == [.faultCleared])
        #expect(cleared.first?.alarm == fault.alarm)
    }

    @Test("one silent device among many healthy ones in a building is its own fault")
    func singleSilentInBuilding() {
        let campus = TestCampus.make((1...5).map { ("r\($0)", "test-rcm", "dorm-a/1/r\($0)") })
        var d = EngineDriver(campus: campus)
        for _ in 0..<12 {
            for i in 2...5 { d.send("r\(i)", "residual_current.1", .number(100)) }
            d.advance(by: 10)
        }
        #expect(d.events(.faultRaised).map(\.devices) == [["r1"]])
    }

    @Test("availability offline is a fault at once (after the grouping delay); online clears it")
    func availability() {
        let campus = TestCampus.make([("s1", "test-smoke", "dorm-a/3/301")])
        var d = EngineDriver(campus: campus)
        d.send("s1", "availability", .bool(false))
        let fault = d.advance(by: 6)
        #expect(fault.map(\.reason) == ["unavailable"])
        #expect(d.send("s1", "availability", .bool(true)).map(\.type) == [.faultCleared])
    }

    @Test("a Zigbee2MQTT bridge going offline is ONE fault for all its devices, not one each")
    func bridgeOffline() throws {
        let campus = TestCampus.make((1...8).map { ("s\($0)", "test-smoke", "dorm-a/\($0)/10\($0)") })
        var d = EngineDriver(campus: campus)
        let raised = d.bridge("z2m", online: false)
        let fault = try #require(raised.first)
        #expect(raised.count == 1)
        #expect(fault.reason == "bridge_offline")
        #expect(fault.devices.count == 8)
        #expect(fault.location == "dorm-a")
        #expect(d.advance(by: 4 * 3600).isEmpty, "no per-device supervision faults while the bridge is down")
        let cleared = d.bridge("z2m", online: true)
        #expect(cleared.map(\.type) == [.faultCleared])
        #expect(d.advance(by: 3 * 3600 - 1).isEmpty, "supervision restarts from the bridge's return")
    }

    @Test("a message from a device proves its bridge is back, even if bridge/state was missed")
    func bridgeBackByMessage() {
        let campus = TestCampus.make([("s1", "test-smoke", "dorm-a/3/301"), ("s2", "test-smoke", "dorm-a/3/302")])
        var d = EngineDriver(campus: campus)
        d.bridge("z2m", online: false)
        d.advance(by: 60)
        #expect(d.send("s1", "battery", .number(90)).map(\.type) == [.faultCleared])
        #expect(d.engine.openAlarms.isEmpty)
    }

    @Test("a device in maintenance that goes silent raises a fault marked test")
    func silentInMaintenance() throws {
        let campus = TestCampus.make([("r1", "test-rcm", "dorm-a/1/power")])
        var d = EngineDriver(campus: campus)
        try d.engine.startMaintenance(device: "r1", until: testStart + .hours(1))
        #expect(d.advance(by: 100).first?.test == true)
    }

    @Test("a Modbus device the poller lost is a fault with reason comms_lost; its next reading clears it")
    func commsLost() {
        let campus = TestCampus.make([("r1", "test-rcm", "dorm-a/1/power")])
        var engine = AlarmEngine(campus: campus, startedAt: testStart)
        let lost = Reading(
            device: "r1",
            channel: ChannelID(.availability),
            value: .bool(false),
            timestamp: testStart,
            source: .modbus
        )
        #expect(engine.ingest(lost, at: testStart).isEmpty)
        let fault = engine.tick(now: testStart + .seconds(5))
        #expect(fault.map(\.reason) == ["comms_lost"])
        let back = Reading(
            device: "r1",
            channel: ChannelID(.residualCurrent, index: 1),
            value: .number(90),
            timestamp: testStart + .seconds(6),
            source: .modbus
        )
        #expect(engine.ingest(back, at: testStart + .seconds(6)).map(\.type) == [.faultCleared])
    }
}
