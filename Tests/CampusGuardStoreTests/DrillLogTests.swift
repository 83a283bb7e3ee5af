import CampusGuardCore
import CampusGuardTestKit
import GRDB
import Testing

@testable import CampusGuardStore

@Suite("Store: the drill log")
struct DrillLogTests {
    let dir = TemporaryDirectory()

    func drill(_ name: String, at seconds: Int64, buildings: Set<String>? = nil) -> Drill {
        Drill(name: name, buildings: buildings, startedAt: testStart + .seconds(seconds))
    }

    @Test("a drill's start and stop are recorded with who did them; a stop with no drill running changes nothing")
    func startAndStop() async throws {
        let store = try Store(path: dir.storePath)
        let id = try await store.recordDrillStart(
            drill("宿舍A 疏散", at: 0, buildings: ["dorm-b", "dorm-a"]),
            by: "principal"
        )
        #expect(try store.drills().map(\.stopped) == [nil], "running")
        #expect(try await store.recordDrillStop(at: testStart + .seconds(600), by: "principal") == [id])
        #expect(try await store.recordDrillStop(at: testStart + .seconds(700), by: "principal") == [])
        let record = try #require(try store.drill(id: id))
        #expect(
            record
                == DrillRecord(
                    id: id,
                    name: "宿舍A 疏散",
                    buildings: ["dorm-a", "dorm-b"],
                    started: testStart,
                    stopped: testStart + .seconds(600),
                    startedBy: "principal",
                    stoppedBy: "principal"
                )
        )
        #expect(try store.drill(id: id + 1) == nil)
    }

    @Test("a new drill ends the one still running, as the engine replaces it")
    func replaced() async throws {
        let store = try Store(path: dir.storePath)
        try await store.recordDrillStart(drill("first", at: 0), by: "a")
        let second = try await store.recordDrillStart(drill("second", at: 300), by: "b")
        let drills = try store.drills()
        #expect(drills.map(\.name) == ["first", "second"])
        #expect(drills[0].stopped == testStart + .seconds(300))
        #expect(drills[0].stoppedBy == "replaced by second")
        #expect(drills[1].stopped == nil && drills[1].id == second)
        #expect(drills[1].buildings == nil, "the whole site")
        #expect(try store.drills(since: testStart + .seconds(1)).map(\.name) == ["second"])
    }

    @Test("the events of test alarms raised in a window, with what came after it; real alarms and others left out")
    func testAlarmEvents() async throws {
        let store = try Store(path: dir.storePath)
        var inWindow = event(alarm: "A-1", devices: ["s-1"], at: 10)
        inWindow.test = true
        var ack = event(.alarmAcknowledged, alarm: "A-1", devices: ["s-1"], at: 900)
        ack.test = true
        ack.by = "王老师"
        let real = event(alarm: "A-2", devices: ["s-2"], at: 20)
        var before = event(alarm: "A-3", devices: ["s-3"], at: -5)
        before.test = true
        var after = event(alarm: "A-4", devices: ["s-4"], at: 600)
        after.test = true
        try await store.append(events: [before, inWindow, real, after, ack])
        let events = try store.testAlarmEvents(raisedFrom: testStart, until: testStart + .seconds(600))
        #expect(events == [inWindow, ack])
    }

    @Test("a store opened read-only from before the drill log has no drills")
    func olderStore() async throws {
        do {
            let queue = try DatabaseQueue(path: dir.storePath)
            try Store.migrator.migrate(queue, upTo: StoreSchema.v2)
        }
        let store = try Store(path: dir.storePath, readOnly: true)
        #expect(try store.drills().isEmpty)
        #expect(try store.drill(id: 1) == nil)
    }
}
