import CampusGuardCore
import CampusGuardTestKit
import Testing

@testable import CampusGuardStore

@Suite("Store: maintenance kept across restarts, and the alarm history")
struct MaintenanceStoreTests {
    let dir = TemporaryDirectory()

    @Test("maintenance is recorded, replaced and ended; only what has not ended is given back")
    func maintenance() async throws {
        let store = try Store(path: dir.storePath)
        try await store.recordMaintenance(device: "s1", until: testStart + .minutes(30), by: "tech")
        try await store.recordMaintenance(device: "s1", until: testStart + .minutes(60), by: "tech")
        try await store.recordMaintenance(device: "s2", until: testStart + .minutes(5), by: "tech")
        try await store.recordMaintenance(device: "s3", until: testStart + .minutes(90), by: "tech")
        try await store.recordMaintenanceEnd(device: "s3")
        let reopened = try Store(path: dir.storePath, readOnly: true)
        let now = try reopened.maintenance(at: testStart)
        #expect(now.map(\.device) == ["s1", "s2"])
        #expect(now.first?.until == testStart + .minutes(60), "the later request replaced the first")
        #expect(try reopened.maintenance(at: testStart + .minutes(10)).map(\.device) == ["s1"], "s2 has ended")
    }

    @Test("the history folds each alarm's events; an alarm raised before since is left out")
    func history() async throws {
        let store = try Store(path: dir.storePath)
        func event(_ type: EventType, _ alarm: String, _ seconds: Int64, kind: AlarmKind = .smoke) -> Event {
            Event(
                timestamp: testStart + .seconds(seconds),
                type: type,
                alarm: alarm,
                kind: kind,
                severity: .major,
                devices: ["s1"],
                location: "dorm-a/3/301"
            )
        }
        var updated = event(.alarmUpdated, "A-2", 70, kind: .fire)
        updated.previousKind = .smoke
        try await store.append(events: [
            event(.alarmRaised, "A-1", 0), event(.alarmRaised, "A-2", 60), updated,
            event(.alarmCleared, "A-2", 80, kind: .fire),
        ])
        let records = try store.alarmHistory(since: testStart + .seconds(30), limit: 10)
        #expect(records.map(\.id) == ["A-2"])
        #expect(records.first?.kind == .fire && records.first?.raisedKind == .smoke)
        #expect(records.first?.state == "cleared" && records.first?.closed == false, "fire latches: still open")
        #expect(try store.alarmHistory(since: testStart, limit: 1).map(\.id) == ["A-2"], "newest first")
    }
}
