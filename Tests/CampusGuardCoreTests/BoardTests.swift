import CampusGuardCore
import CampusGuardTestKit
import Testing

@Suite("The board: every device's status, last values and open alarms")
struct BoardTests {
    let campus = TestCampus.make([
        ("s1", "test-smoke", "dorm-a/3/301"),
        ("s2", "test-smoke", "dorm-a/3/302"),
        ("r1", "test-rcm", "dorm-a/1/power"),
        ("p1", "test-panic", "dorm-a/1/hall"),
    ])

    func status(_ board: EngineBoard, _ id: String) -> DeviceStatus? { board.device(id)?.status }

    @Test("a quiet device is ok, with its last value and when it was seen")
    func quiet() throws {
        var d = EngineDriver(campus: campus)
        d.send("s1", "smoke", .bool(false))
        let board = d.engine.board(at: d.now)
        let s1 = try #require(board.device("s1"))
        #expect(s1.status == .ok)
        #expect(s1.values[ChannelID(.smoke)]?.value == .bool(false))
        #expect(s1.lastSeen == d.now)
        #expect(board.device("s2")?.lastSeen == nil, "never heard since the start")
        #expect(board.devices.map(\.id) == ["s1", "s2", "r1", "p1"], "config order")
    }

    @Test("a device in an alarm shows alarm and the alarm's id; the alarm is active")
    func inAlarm() {
        var d = EngineDriver(campus: campus)
        let raised = d.send("s1", "smoke", .bool(true))
        let board = d.engine.board(at: d.now)
        #expect(status(board, "s1") == .alarm)
        #expect(board.device("s1")?.openAlarms == raised.compactMap(\.alarm))
        #expect(status(board, "s2") == .ok)
        #expect(board.activeAlarms.count == 1)
        #expect(board.statusCounts[.alarm] == 1)
    }

    @Test("a silent device is offline with its reason; the fault is not an active alarm")
    func offline() {
        var d = EngineDriver(campus: campus)
        d.send("r1", "residual_current.1", .number(100))
        d.send("s1", "smoke", .bool(false))
        d.advance(by: 96)
        let board = d.engine.board(at: d.now)
        #expect(status(board, "r1") == .offline)
        #expect(board.device("r1")?.offlineReason == "silent")
        #expect(board.device("r1")?.openAlarms.count == 1)
        #expect(board.activeAlarms.isEmpty)
    }

    @Test("maintenance shows until it expires, then the device is back to its own status")
    func maintenance() throws {
        var d = EngineDriver(campus: campus)
        try d.engine.startMaintenance(device: "s2", until: d.now + .minutes(10))
        #expect(status(d.engine.board(at: d.now), "s2") == .maintenance)
        #expect(d.engine.board(at: d.now).device("s2")?.maintenanceUntil == d.now + .minutes(10))
        #expect(status(d.engine.board(at: d.now + .minutes(11)), "s2") == .ok)
    }

    @Test("a disabled device: its readings are ignored, it is never offline, its status is disabled")
    func disabled() {
        let campus = TestCampus.make(
            [("s1", "test-smoke", "dorm-a/3/301"), ("s2", "test-smoke", "dorm-a/3/302")],
            disabled: ["s2"]
        )
        var d = EngineDriver(campus: campus)
        #expect(d.send("s2", "smoke", .bool(true)).isEmpty)
        #expect(d.engine.statistics.disabledDevice == 1)
        let events = d.advance(by: 7 * 86_400)
        #expect(events.contains { $0.type == .faultRaised && $0.devices == ["s1"] }, "s1 is supervised")
        #expect(!events.contains { $0.devices.contains("s2") }, "s2 is not")
        let board = d.engine.board(at: d.now)
        #expect(status(board, "s2") == .disabled)
        #expect(board.device("s2")?.values.isEmpty == true)
        #expect(status(board, "s1") == .offline)
    }

    @Test("a device's kind comes from its profile's channels")
    func kinds() {
        let kinds = campus.devices.map { DeviceKind(profile: $0.profile) }
        #expect(kinds == [.smokeDetector, .smokeDetector, .electricalFireMonitor, .panicButton])
    }
}
