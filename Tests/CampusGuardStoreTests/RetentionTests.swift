import CampusGuardCore
import CampusGuardTestKit
import Foundation
import GRDB
import Testing

@testable import CampusGuardStore

@Suite("Store: retention by age and by size")
struct RetentionTests {
    let dir = TemporaryDirectory()
    static let day: Int64 = 86_400

    @Test("the defaults: 30 days and 2 GiB")
    func defaults() {
        #expect(RetentionPolicy().maxAge == .seconds(30 * Self.day))
        #expect(RetentionPolicy().maxBytes == 2 * 1024 * 1024 * 1024)
    }

    @Test("readings older than the maximum age are deleted, newer ones kept; events and pending deliveries kept")
    func byAge() async throws {
        let store = try Store(path: dir.storePath)
        let now = testStart + .seconds(100 * Self.day)
        let ages: [Int64] = [60 * Self.day, 31 * Self.day, 30 * Self.day + 1, 30 * Self.day - 1, 3_600, 0]
        try await store.append(
            readings: ages.map { reading("t-1", ChannelID(.temperature), .number(Double($0)), at: 100 * Self.day - $0) }
        )
        try await store.append(events: [event(alarm: "A-1", devices: ["t-1"], at: 0)])
        try await store.enqueue(
            [OutboxEntry(delivery: "old", alarm: "A-1", target: "duty", payload: "{}", nextAttempt: testStart)],
            at: testStart
        )
        let report = try await store.applyRetention(RetentionPolicy(maxAge: .seconds(30 * Self.day)), now: now)
        #expect(report.deletedByAge == 3)
        #expect(report.deletedBySize == 0)
        #expect(!report.overCapWithoutReadings)
        #expect(try store.allReadings().map(\.reading.value) == ages.suffix(3).map { .number(Double($0)) })
        #expect(try store.counts().events == 1)
        #expect(try store.pendingDeliveries().map(\.delivery) == ["old"])

        let again = try await store.applyRetention(RetentionPolicy(maxAge: .seconds(30 * Self.day)), now: now)
        #expect(again.deletedByAge == 0)
    }

    @Test("over the size cap, the oldest readings go first until the store is under it; no event is deleted")
    func bySize() async throws {
        let store = try Store(path: dir.storePath)
        let total = 100_000
        try await store.append(events: (0..<20).map { event(alarm: "A-\($0)", devices: ["s"], at: Int64($0)) })
        try await store.fill(total, devices: 1_000)
        let before = try store.usedBytes()
        let cap = before / 3
        #expect(cap > 300_000, "a cap of a few hundred KB at least: \(cap)")

        let report = try await store.applyRetention(
            RetentionPolicy(maxBytes: cap),
            now: testStart + .seconds(Int64(total))
        )
        #expect(report.deletedByAge == 0)
        #expect(report.deletedBySize > 0)
        #expect(!report.overCapWithoutReadings)
        #expect(report.usedBytes <= cap)
        #expect(try store.usedBytes() <= cap)

        let left = try store.allReadings()
        #expect(left.count == total - Int(report.deletedBySize))
        #expect(left.count > 0, "only as many deleted as needed")
        // What is left is the newest: one reading a second, up to the last.
        let seconds = left.map { ($0.reading.timestamp - testStart).milliseconds / 1000 }
        #expect(seconds == Array(Int64(total - left.count)..<Int64(total)))
        #expect(try store.counts().events == 20)
    }

    @Test("over the cap with events alone: reported, and every event kept")
    func overCapWithEventsOnly() async throws {
        let store = try Store(path: dir.storePath)
        let note = String(repeating: "n", count: 2_000)
        let events = (0..<200).map { event(alarm: "A-\($0)", devices: ["s"], at: Int64($0), note: note) }
        try await store.append(events: events)
        try await store.fill(3)
        let report = try await store.applyRetention(RetentionPolicy(maxBytes: 64 * 1024), now: testStart + .seconds(10))
        #expect(report.overCapWithoutReadings)
        #expect(report.usedBytes > 64 * 1024)
        #expect(try store.allEventLines() == events.map(\.jsonLine))
        #expect(try store.counts().readings <= 1, "the readings go (the newest row may stay as the id mark)")
    }

    @Test("deleted readings give their pages back: the file shrinks (incremental vacuum)")
    func fileShrinks() async throws {
        let store = try Store(path: dir.storePath)
        #expect(try store.pragma("auto_vacuum") == 2, "INCREMENTAL")
        #expect(try store.journalMode() == "wal")
        try await store.fill(60_000)
        try store.onWriter("PRAGMA wal_checkpoint(TRUNCATE)")
        let before = try fileSize(dir.storePath)
        let pagesBefore = try store.pragma("page_count")

        let report = try await store.applyRetention(
            RetentionPolicy(maxAge: .seconds(1_000)),
            now: testStart + .seconds(60_000)
        )
        #expect(report.deletedByAge == 59_000)
        #expect(try store.pragma("freelist_count") == 0, "no free page left in the file")
        #expect(try store.pragma("page_count") < pagesBefore / 10)
        try store.onWriter("PRAGMA wal_checkpoint(TRUNCATE)")
        let after = try fileSize(dir.storePath)
        #expect(after < before / 10, "\(before) → \(after) bytes")
    }

    func fileSize(_ path: String) throws -> Int64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.int64Value ?? -1
    }
}
