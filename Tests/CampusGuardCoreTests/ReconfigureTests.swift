import CampusGuardCore
import CampusGuardTestKit
import Testing

@Suite("Reconfigure: a config reload keeps what the engine knows")
struct ReconfigureTests {
    static let devices = [
        ("g1", "test-gas", "kitchen/1/stoves"),
        ("t1", "test-temperature", "dorm-a/3/301"),
        ("p1", "test-panic", "dorm-a/1/lobby"),
        ("co1", "test-co", "kitchen/1/boiler"),
    ]

    /// The kitchen's gas limits: low at `low` (major), high at 50 (critical).
    static func kitchenGas(low: Double) -> [LocationKind: [ChannelID: ThresholdSpec]] {
        [
            .kitchen: [
                ChannelID(.gas): ThresholdSpec(levels: [
                    ThresholdLevel(direction: .above, limit: low, severity: .major, hysteresis: 5),
                    ThresholdLevel(direction: .above, limit: 50, severity: .critical, hysteresis: 5),
                ])
            ]
        ]
    }

    @Test("a lowered threshold raises at once on the last value")
    func loweredThreshold() {
        var d = EngineDriver(campus: TestCampus.make(Self.devices))
        #expect(d.send("g1", "gas", .number(15)).isEmpty, "15 %LEL is under the profile's 20")
        let events = d.engine.reconfigure(
            TestCampus.make(Self.devices, thresholdsByKind: Self.kitchenGas(low: 10)),
            at: d.now
        )
        #expect(events.map(\.type) == [.alarmRaised])
        #expect(events.first?.kind == .gasLeak)
        #expect(events.first?.devices == ["g1"])
    }

    @Test("a raised threshold does not clear at the reload; the next reading clears through hysteresis")
    func raisedThreshold() throws {
        var d = EngineDriver(campus: TestCampus.make(Self.devices))
        let id = try #require(d.send("g1", "gas", .number(25)).first?.alarm)
        let events = d.engine.reconfigure(
            TestCampus.make(Self.devices, thresholdsByKind: Self.kitchenGas(low: 30)),
            at: d.now
        )
        #expect(events.isEmpty)
        d.advance(by: 10)
        #expect(d.send("g1", "gas", .number(26)).isEmpty, "26 is inside the new 30 − 5 band")
        d.advance(by: 10)
        #expect(d.send("g1", "gas", .number(24)).map(\.type) == [.alarmCleared])
        #expect(d.engine.alarm(id)?.state == .cleared, "gas latches: it waits for a person")
        #expect(throws: Never.self) { try d.resolve(id) }
    }

    @Test("open alarms, acknowledgements and maintenance survive a reload that adds a device")
    func alarmsKept() throws {
        var d = EngineDriver(campus: TestCampus.make(Self.devices))
        d.send("t1", "temperature", .number(30))
        d.advance(by: 60)
        let overheat = try #require(d.send("t1", "temperature", .number(60)).first?.alarm)
        let panic = try #require(d.send("p1", "button", .event("single")).first?.alarm)
        try d.acknowledge(panic)
        try d.engine.startMaintenance(device: "g1", until: d.now + .hours(1))
        let events = d.engine.reconfigure(
            TestCampus.make(Self.devices + [("t2", "test-temperature", "dorm-b/1/101")]),
            at: d.now
        )
        #expect(events.isEmpty)
        #expect(Set(d.engine.openAlarms.map(\.id)) == [overheat, panic])
        #expect(d.engine.alarm(panic)?.acknowledgedBy == "duty")
        #expect(d.engine.maintenanceUntil(device: "g1") == d.now + .hours(1))
        #expect(d.engine.lastValues(of: "t1")[ChannelID(.temperature)]?.value == .number(60))
        d.advance(by: 60)
        #expect(d.send("t1", "temperature", .number(40)).map(\.type) == [.alarmCleared], "same alarm, same hysteresis")
    }

    @Test("a device added by a reload is judged and supervised")
    func addedDevice() {
        var d = EngineDriver(campus: TestCampus.make(Self.devices))
        _ = d.engine.reconfigure(
            TestCampus.make(Self.devices + [("t2", "test-temperature", "dorm-b/1/101")]),
            at: d.now
        )
        let raised = d.send("t2", "temperature", .number(60))
        #expect(raised.map(\.type) == [.alarmRaised])
        #expect(raised.first?.devices == ["t2"])
        d.advance(by: 2 * 3600)
        let faults = d.events(.faultRaised).filter { $0.devices.contains("t2") }
        #expect(!faults.isEmpty, "silent past 3 × 10 min: a fault")
    }

    @Test("a removed device's alarm stays open until a person resolves it")
    func removedDeviceAlarm() throws {
        var d = EngineDriver(campus: TestCampus.make(Self.devices))
        let panic = try #require(d.send("p1", "button", .event("single")).first?.alarm)
        let events = d.engine.reconfigure(TestCampus.make(Self.devices.filter { $0.0 != "p1" }), at: d.now)
        #expect(events.isEmpty)
        #expect(d.engine.alarm(panic)?.state == .raised)
        d.advance(by: 3600)
        #expect(d.engine.alarm(panic) != nil, "latched: time alone does not close it")
        let resolved = try d.resolve(panic, note: "button removed")
        #expect(resolved.map(\.type) == [.alarmResolved])
        #expect(d.engine.openAlarms.allSatisfy { $0.id != panic })
    }

    @Test("a removed device's own offline fault clears; a reading of it afterwards is unknown")
    func removedDeviceFault() throws {
        var d = EngineDriver(campus: TestCampus.make(Self.devices))
        d.send("t1", "temperature", .number(20))
        d.advance(by: 3 * 3600 + 60)
        let fault = try #require(d.events(.faultRaised).first { $0.devices == ["t1"] }?.alarm)
        let events = d.engine.reconfigure(TestCampus.make(Self.devices.filter { $0.0 != "t1" }), at: d.now)
        #expect(events.contains { $0.type == .faultCleared && $0.alarm == fault && $0.reason == "device_removed" })
        #expect(d.engine.alarm(fault) == nil)
        #expect(d.send("t1", "temperature", .number(90)).isEmpty)
        #expect(d.engine.statistics.unknownDevice == 1)
    }

    @Test("an unchanged channel keeps its monitor: a minimum duration under way runs out on time")
    func unchangedMonitorKept() {
        var d = EngineDriver(campus: TestCampus.make(Self.devices))
        #expect(d.send("co1", "co", .number(120)).isEmpty)
        d.advance(by: 5 * 60)
        let events = d.engine.reconfigure(
            TestCampus.make(Self.devices, thresholdsByKind: Self.kitchenGas(low: 10)),
            at: d.now
        )
        #expect(events.isEmpty)
        #expect(d.advance(by: 4 * 60).isEmpty)
        #expect(d.advance(by: 120).map(\.type) == [.alarmRaised], "the 10 minutes counted from the first reading")
    }

    @Test("device changes name what was added, removed and changed")
    func deviceChanges() {
        let old = TestCampus.make(Self.devices)
        let new = TestCampus.make(
            Self.devices.filter { $0.0 != "p1" } + [("t2", "test-temperature", "dorm-b/1/101")],
            thresholdsByKind: Self.kitchenGas(low: 10)
        )
        let changes = DeviceChanges(from: old, to: new)
        #expect(changes.added == ["t2"])
        #expect(changes.removed == ["p1"])
        #expect(changes.changed == ["g1"])
    }
}
