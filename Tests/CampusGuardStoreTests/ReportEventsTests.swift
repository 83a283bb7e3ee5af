import CampusGuardCore
import CampusGuardTestKit
import Testing

@testable import CampusGuardStore

@Suite("Store: the events of a report's period")
struct ReportEventsTests {
    let dir = TemporaryDirectory()

    @Test("alarms and faults open at some time in the period come with all their events; others do not")
    func period() async throws {
        let store = try Store(path: dir.storePath)
        try await store.append(events: [
            event(.faultRaised, alarm: "closed-before", devices: ["d"], at: 0, kind: .deviceFault),
            event(.faultCleared, alarm: "closed-before", devices: ["d"], at: 50, kind: .deviceFault),
            event(.faultRaised, alarm: "open-across", devices: ["d"], at: 10, kind: .deviceFault),
            event(.alarmRaised, alarm: "in", devices: ["d"], at: 150),
            event(.alarmAcknowledged, alarm: "in", devices: ["d"], at: 250),
            event(.alarmRaised, alarm: "resolved-in", devices: ["d"], at: 20),
            event(.alarmResolved, alarm: "resolved-in", devices: ["d"], at: 120),
            event(.alarmRaised, alarm: "after", devices: ["d"], at: 200),
        ])
        let events = try store.reportEvents(since: testStart + .seconds(100), until: testStart + .seconds(200))
        #expect(Set(events.compactMap(\.alarm)) == ["open-across", "in", "resolved-in"])
        #expect(events.filter { $0.alarm == "in" }.map(\.type) == [.alarmRaised, .alarmAcknowledged], "a late ack too")
    }
}
