import CampusGuardCore
import CampusGuardTestKit
import Testing

@Suite("Engine basics: deduplication, faults from sensors, determinism")
struct EngineBasicsTests {
    let campus = TestCampus.make([("s1", "test-smoke", "dorm-a/3/301"), ("t1", "test-temperature", "dorm-a/3/301")])

    @Test("an exact duplicate (same instant, same value: a QoS 1 redelivery) is dropped")
    func duplicates() {
        var engine = AlarmEngine(campus: campus, startedAt: testStart)
        let r = Reading(device: "s1", channel: ChannelID(.smoke), value: .bool(true), timestamp: testStart)
        #expect(engine.ingest(r, at: testStart).count == 1)
        #expect(engine.ingest(r, at: testStart).isEmpty)
        #expect(engine.statistics.duplicates == 1)
        var later = r
        later.timestamp = testStart + .seconds(5)
        #expect(engine.ingest(later, at: later.timestamp).isEmpty)
        #expect(engine.statistics.repeated == 1)
        #expect(engine.statistics.readings == 3)
    }

    @Test("readings of unknown devices are counted, not fatal")
    func unknownDevice() {
        var engine = AlarmEngine(campus: campus, startedAt: testStart)
        let r = Reading(device: "ghost", channel: ChannelID(.smoke), value: .bool(true), timestamp: testStart)
        #expect(engine.ingest(r, at: testStart).isEmpty)
        #expect(engine.statistics.unknownDevice == 1)
    }

    @Test("a sensor reporting its own fault raises device_fault; it clears when the fault goes")
    func sensorFault() {
        var d = EngineDriver(campus: campus)
        let e = d.send("s1", "fault", .bool(true))
        #expect(e.map(\.type) == [.faultRaised])
        #expect(e.first?.kind == .deviceFault)
        #expect(d.send("s1", "fault", .bool(false)).map(\.type) == [.faultCleared])
    }

    @Test("a fault on a point the profile does not list (a Modbus sentinel) still counts")
    func faultOnUnlistedPoint() {
        var d = EngineDriver(campus: campus)
        #expect(d.send("t1", "fault.3", .bool(true)).first?.kind == .deviceFault)
    }

    @Test("low battery by level and by flag is one low_battery fault of the device")
    func lowBattery() {
        var d = EngineDriver(campus: campus)
        d.send("s1", "battery", .number(12))
        d.send("s1", "battery", .number(10))
        #expect(d.events.map(\.kind) == [.lowBattery])
        #expect(d.events.first?.type == .faultRaised)
        d.send("s1", "battery", .number(100))
        #expect(d.events.last?.type == .faultCleared)
    }

    @Test("the same input gives the same events, ids included")
    func deterministic() {
        func run() -> [String] {
            var d = EngineDriver(campus: campus)
            d.send("s1", "smoke", .bool(true))
            d.advance(by: 30)
            d.send("t1", "temperature", .number(70))
            d.advance(by: 4 * 3600)
            return d.events.map(\.jsonLine)
        }
        #expect(run() == run())
        #expect(!run().isEmpty)
    }

    @Test("alarm ids are stable: the instant of raising and a sequence number")
    func alarmIDs() {
        var d = EngineDriver(campus: campus)
        let e = d.send("s1", "smoke", .bool(true))
        #expect(e.first?.alarm == "20261120T220000Z-1")
    }
}
