import CampusGuardCore
import CampusGuardTestKit
import Testing

@testable import CampusGuardStore

@Suite("Store: events, alarm numbers and journal positions")
struct EventsTests {
    let dir = TemporaryDirectory()

    @Test("events are kept in the order appended, with increasing row ids, as their JSON lines")
    func order() async throws {
        let store = try Store(path: dir.storePath)
        let first = [
            event(alarm: "20261120T220000Z-1", devices: ["s-1"], at: 0),
            event(.alarmUpdated, alarm: "20261120T220000Z-1", devices: ["s-1", "s-2"], at: 5, kind: .fire),
            event(.faultRaised, alarm: "20261120T220000Z-2", devices: ["t-1"], at: 3, kind: .deviceFault),
        ]
        let second = [
            event(.alarmAcknowledged, alarm: "20261120T220000Z-1", devices: ["s-1", "s-2"], at: 9, kind: .fire),
            event(.deliverySent, alarm: nil, devices: [], at: 10, kind: .fire),
        ]
        let ids1 = try await store.append(events: first)
        let ids2 = try await store.append(events: second)
        let ids = ids1 + ids2
        #expect(ids.count == 5)
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 })
        #expect(try store.allEventLines() == (first + second).map(\.jsonLine), "in the order appended, not by time")
        #expect(try store.counts().events == 5)
        #expect(try await store.append(events: []) == [])
    }

    @Test("events by time range and limit")
    func timeRange() async throws {
        let store = try Store(path: dir.storePath)
        let events = (0..<10).map { event(alarm: "20261120T220000Z-\($0)", devices: ["s-1"], at: Int64($0) * 10) }
        try await store.append(events: events)
        let q = StoreQuery(since: testStart + .seconds(20), until: testStart + .seconds(60))
        #expect(try store.allEventLines(q) == events[2..<6].map(\.jsonLine))
        #expect(try store.allEventLines(StoreQuery(limit: 3)) == events[0..<3].map(\.jsonLine))
    }

    @Test("the device filter matches whole device ids: `_`, `%` and letter case match nothing else")
    func deviceFilter() async throws {
        let store = try Store(path: dir.storePath)
        let devices = ["dev_1", "devx1", "dev%", "dev-10", "dev", "DEV_1", "dev\\1"]
        var events = devices.enumerated().map { i, d in event(alarm: "A-\(i)", devices: [d], at: Int64(i)) }
        events.append(event(alarm: "A-99", devices: ["other", "dev_1", "x"], at: 99))
        try await store.append(events: events)
        func matching(_ device: String) throws -> [String] {
            try store.allEventLines(StoreQuery(device: device))
        }
        #expect(try matching("dev_1") == [events[0].jsonLine, events[7].jsonLine])
        #expect(try matching("dev%") == [events[2].jsonLine])
        #expect(try matching("dev") == [events[4].jsonLine])
        #expect(try matching("DEV_1") == [events[5].jsonLine])
        #expect(try matching("dev\\1") == [events[6].jsonLine])
        #expect(try matching("%").isEmpty)
        #expect(try matching("_").isEmpty)
        #expect(try matching("x") == [events[7].jsonLine])
    }

    @Test("the next alarm number follows the highest number in the stored alarm ids, across a reopen")
    func alarmSequence() async throws {
        do {
            let store = try Store(path: dir.storePath)
            #expect(try store.nextAlarmSequence() == 1)
            try await store.append(events: [
                event(alarm: "20261120T141000Z-17", devices: ["s-1"]),
                event(alarm: "20261120T141500Z-3", devices: ["s-2"]),
                event(.deliverySent, alarm: nil, devices: []),
                event(alarm: "manual-check", devices: ["s-3"]),
            ])
            #expect(try store.nextAlarmSequence() == 18)
            try await store.append(events: [event(alarm: "20261120T141600Z-5", devices: ["s-4"])])
            #expect(try store.nextAlarmSequence() == 18, "a lower number never lowers it")
        }
        let reopened = try Store(path: dir.storePath)
        #expect(try reopened.nextAlarmSequence() == 18)
        try await reopened.append(events: [event(alarm: "20261121T000000Z-200", devices: ["s-1"])])
        #expect(try reopened.nextAlarmSequence() == 201)
    }

    @Test("the journal positions of readings and of the engine only move forward")
    func journalPositions() async throws {
        let store = try Store(path: dir.storePath)
        #expect(try store.journalPositions() == (0, 0))
        try await store.append(readings: [], journalThrough: 5)
        #expect(try store.journalPositions() == (5, 0))
        try await store.append(readings: [reading("t", ChannelID(.temperature), .number(1), at: 0)], journalThrough: 3)
        #expect(try store.journalPositions() == (5, 0))
        try await store.append(events: [event(alarm: "A-1", devices: ["t"])], journalThrough: 7)
        #expect(try store.journalPositions() == (5, 7))
        try await store.recordEnginePosition(4)
        #expect(try store.journalPositions() == (5, 7))
        try await store.append(events: [], journalThrough: 6)
        #expect(try store.journalPositions() == (5, 7))
        try await store.append(readings: [], journalThrough: 8, engineThrough: 9)
        #expect(try store.journalPositions() == (8, 9))
        try await store.recordEnginePosition(12)
        #expect(try store.journalPositions() == (8, 12))
        #expect(try store.counts().events == 1, "an empty batch with a position writes no event")
    }
}
