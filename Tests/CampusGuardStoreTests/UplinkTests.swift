import CampusGuardCore
import CampusGuardTestKit
import Testing

@testable import CampusGuardStore

@Suite("Store: uplink cursors")
struct UplinkTests {
    let dir = TemporaryDirectory()

    @Test("rows after a cursor, in order, up to a limit, as their JSON lines")
    func rowsAfterCursor() async throws {
        let store = try Store(path: dir.storePath)
        let events = (0..<5).map { event(alarm: "A-\($0)", devices: ["s-\($0)"], at: Int64($0)) }
        let ids = try await store.append(events: events)
        let readings = (0..<5).map { reading("t-1", ChannelID(.temperature), .number(Double($0) + 0.1), at: Int64($0)) }
        try await store.append(readings: readings)

        let firstEvents = try store.uplinkRows(.events, after: 0, limit: 3)
        #expect(firstEvents.map(\.id) == Array(ids.prefix(3)))
        #expect(firstEvents.map(\.line) == events.prefix(3).map(\.jsonLine))
        #expect(firstEvents.map(\.timestamp) == events.prefix(3).map(\.timestamp))
        let rest = try store.uplinkRows(.events, after: ids[2], limit: 100)
        #expect(rest.map(\.line) == events.suffix(2).map(\.jsonLine))
        #expect(try store.uplinkRows(.events, after: ids[4], limit: 100).isEmpty)

        let stored = try store.allReadings()
        let rows = try store.uplinkRows(.readings, after: stored[1].id, limit: 2)
        #expect(rows.map(\.id) == [stored[2].id, stored[3].id])
        #expect(rows.map(\.line) == [stored[2].jsonLine, stored[3].jsonLine])
    }

    @Test("the cursor never moves back, and each stream has its own")
    func cursorForwardOnly() async throws {
        let store = try Store(path: dir.storePath)
        #expect(try store.uplinkSentThrough(.events) == 0)
        try await store.markUplinked(.events, through: 5)
        try await store.markUplinked(.events, through: 3)
        #expect(try store.uplinkSentThrough(.events) == 5)
        #expect(try store.uplinkSentThrough(.readings) == 0)
        try await store.markUplinked(.readings, through: 9)
        try await store.markUplinked(.events, through: 6)
        #expect(try store.uplinkSentThrough(.events) == 6)
        #expect(try store.uplinkSentThrough(.readings) == 9)
    }

    @Test("the backlog: rows not yet acknowledged upstream and the oldest one's time")
    func backlog() async throws {
        let store = try Store(path: dir.storePath)
        #expect(try store.uplinkBacklog(.readings) == (0, nil))
        try await store.fill(10, start: 100)
        #expect(try store.uplinkBacklog(.readings) == (10, testStart + .seconds(100)))
        try await store.markUplinked(.readings, through: 4)
        #expect(try store.uplinkBacklog(.readings) == (6, testStart + .seconds(104)))
        try await store.markUplinked(.readings, through: 10)
        #expect(try store.uplinkBacklog(.readings) == (0, nil))

        try await store.append(events: [
            event(alarm: "A-1", devices: ["s"], at: 7), event(alarm: "A-2", devices: ["s"], at: 8),
        ])
        #expect(try store.uplinkBacklog(.events) == (2, testStart + .seconds(7)))
        try await store.markUplinked(.events, through: 1)
        #expect(try store.uplinkBacklog(.events) == (1, testStart + .seconds(8)))
    }

    @Test("readings written after retention deleted the newest rows still come after the uplink's cursor")
    func idsNeverReused() async throws {
        let store = try Store(path: dir.storePath)
        // A device whose clock is far behind: its reading is the newest row, and the oldest by time.
        try await store.fill(5, start: 0)
        try await store.append(readings: [reading("bad-clock", ChannelID(.temperature), .number(1), at: -90 * 86_400)])
        var sent = try #require(try store.allReadings().map(\.id).max())
        try await store.markUplinked(.readings, through: sent)
        _ = try await store.applyRetention(RetentionPolicy(maxAge: .seconds(86_400)), now: testStart + .seconds(10))
        try await store.append(readings: [reading("t-new", ChannelID(.temperature), .number(2), at: 20)])
        #expect(try store.uplinkRows(.readings, after: sent, limit: 10).count == 1)
        #expect(try store.uplinkBacklog(.readings).rows == 1)

        // The daemon was off for longer than the maximum age: every reading is too old.
        sent = try #require(try store.allReadings().map(\.id).max())
        try await store.markUplinked(.readings, through: sent)
        let report = try await store.applyRetention(
            RetentionPolicy(maxAge: .seconds(86_400)),
            now: testStart + .seconds(40 * 86_400)
        )
        #expect(report.deletedByAge >= 6)
        try await store.append(readings: [reading("t-back", ChannelID(.temperature), .number(3), at: 40 * 86_400)])
        let rows = try store.uplinkRows(.readings, after: sent, limit: 10)
        #expect(rows.count == 1, "the new reading has an id past everything the uplink already sent")
        #expect(rows.first?.line.contains("t-back") == true)
    }
}
