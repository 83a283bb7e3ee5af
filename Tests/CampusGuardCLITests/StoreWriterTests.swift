import CampusGuardCore
import CampusGuardTestKit
import Foundation
import GRDB
import Logging
import Synchronization
import Testing

@testable import CampusGuardCLI
@testable import CampusGuardStore

@Suite("The store writer: the daemon's writes, and a store that fails")
struct StoreWriterTests {
    let dir = TemporaryDirectory("writer")
    let clock = ManualClock()

    let log = ErrorLog()

    func writer(_ store: Store?) -> StoreWriter {
        StoreWriter(
            store: store,
            storePath: dir.storePath,
            journal: nil,
            retention: RetentionPolicy(),
            logger: Logger(label: "test", factory: { [log] _ in log }),
            clock: clock.function
        )
    }

    func readings(_ count: Int, from start: Int = 0) -> [Reading] {
        (start..<(start + count)).map {
            Reading(
                device: "t-\($0 % 50)",
                channel: ChannelID(.temperature),
                value: .number(Double($0)),
                timestamp: testStart + .seconds(Int64($0))
            )
        }
    }

    func events(_ alarm: String, note: String? = nil) -> [Event] {
        [
            Event(
                timestamp: testStart,
                type: .alarmRaised,
                alarm: alarm,
                kind: .smoke,
                severity: .major,
                devices: ["s-1"],
                location: "dorm-a/3/301",
                note: note
            )
        ]
    }

    func eventLines(_ store: Store) throws -> [String] {
        var lines: [String] = []
        try store.forEachEvent(StoreQuery()) { lines.append($0) }
        return lines
    }

    /// SQLite's page limit on the store's writer connection stands in for the disk's size.
    func setPageLimit(_ store: Store, _ pages: Int64?) throws {
        try store.pool.writeWithoutTransaction { db in
            let limit = try pages ?? Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(limit)")
        }
    }

    @Test("readings in batches and events at once, with the journal positions they reach")
    func writes() async throws {
        let store = try Store(path: dir.storePath)
        let w = writer(store)
        w.add(readings(1_500), journal: 1)
        w.add(readings(700, from: 1_500), journal: 2)
        let ids = await w.commit(events("A-1"), journal: 2)
        #expect(ids?.count == 1)
        w.engineProcessed(through: 2)
        await w.flush()
        #expect(w.health == .ok)
        #expect(w.bufferedReadings == 0)
        #expect(try store.counts().readings == 2_200)
        #expect(try store.journalPositions() == (2, 2))
    }

    @Test("a full disk: degraded with the reason; events wait in memory, in order, and are written once there is room")
    func diskFull() async throws {
        let store = try Store(path: dir.storePath)
        let w = writer(store)
        w.add(readings(100), journal: 0)
        await w.flush()
        #expect(w.health == .ok)
        try setPageLimit(store, nil)

        let first = events("A-1", note: String(repeating: "n", count: 20_000))
        #expect(await w.commit(first, journal: 0) == nil)
        guard case .degraded(let reason) = w.health else {
            Issue.record("not degraded: \(w.health)")
            return
        }
        #expect(reason.hasPrefix("disk_full"), "\(reason)")
        // A small event that would fit still waits behind the first: order is kept.
        let second = events("A-2")
        #expect(await w.commit(second, journal: 0) == nil)
        w.add(readings(5_000, from: 100), journal: 0)
        await w.flush()
        #expect(w.health == .degraded(reason))
        #expect(try store.counts().events == 0)
        #expect(w.bufferedReadings == 5_000)

        try setPageLimit(store, 1_000_000)
        await w.flush()
        #expect(w.health == .ok)
        #expect(try eventLines(store) == (first + second).map(\.jsonLine))
        #expect(try store.counts().readings == 5_100)
        #expect(w.bufferedReadings == 0 && w.droppedReadings == 0)
        #expect(await w.commit(events("A-3"), journal: 0)?.count == 1, "written at once again")
    }

    @Test("a corrupt file: degraded, events in memory; reopened every 30 s until it opens, then written")
    func corruptFile() async throws {
        #expect(FileManager.default.createFile(atPath: dir.storePath, contents: Data(repeating: 0x5A, count: 8_192)))
        try await reopens(condition: "corrupt") {
            try FileManager.default.removeItem(atPath: dir.storePath)
        }
    }

    @Test(
        "a read-only file (chattr +i): degraded, events in memory; reopened once writable, then written",
        .enabled(if: ImmutableFile.available, "needs chattr and a file system with the immutable attribute")
    )
    func readOnlyFile() async throws {
        do {
            let store = try Store(path: dir.storePath)
            try await store.append(readings: readings(10))
        }
        #expect(ImmutableFile.set(dir.storePath, immutable: true))
        defer { ImmutableFile.set(dir.storePath, immutable: false) }
        try await reopens(condition: "read_only") {
            #expect(ImmutableFile.set(dir.storePath, immutable: false))
        }
    }

    /// With the store broken as the caller left it: the writer starts without one (as the daemon
    /// does when opening fails), keeps events, and writes them once `repair` ran and it reopened.
    func reopens(
        condition: String,
        repair: () throws -> Void
    ) async throws {
        #expect((try? Store(path: dir.storePath)) == nil, "the store is broken")
        let w = writer(nil)
        #expect(w.health == .degraded("store unavailable"))
        let waiting = events("A-1")
        #expect(await w.commit(waiting, journal: 0) == nil)
        w.add(readings(10), journal: 0)
        await w.maintain()
        guard case .degraded(let reason) = w.health else {
            Issue.record("not degraded: \(w.health)")
            return
        }
        #expect(reason.hasPrefix(condition), "\(reason)")
        #expect(w.store == nil)

        try repair()
        clock.advance(.seconds(10))
        await w.maintain()
        #expect(w.store == nil, "not tried again before 30 s")
        clock.advance(.seconds(25))
        await w.maintain()
        let store = try #require(w.store)
        await w.flush()
        #expect(w.health == .ok)
        #expect(try eventLines(store).suffix(1) == waiting.map(\.jsonLine))
        #expect(try store.counts().readings >= 10)
    }

    @Test("a store that keeps failing logs once a minute, not once per attempt")
    func quietWhileDegraded() async throws {
        let store = try Store(path: dir.storePath)
        let w = writer(store)
        try setPageLimit(store, nil)
        for (n, count) in [10, 100, 300, 500, 50].enumerated() {
            // Readings keep coming while the disk is full: each attempt writes more rows.
            w.add(readings(count, from: n * 1_000), journal: 0)
            await w.flush()
            clock.advance(.seconds(1))
        }
        #expect(log.errors.count == 1, "\(log.errors)")
        clock.advance(.seconds(60))
        await w.flush()
        #expect(log.errors.count == 2)
    }
}

/// Counts what the writer logs at error level and above.
final class ErrorLog: LogHandler, Sendable {
    private let lines = Mutex<[String]>([])
    var errors: [String] { lines.withLock { $0 } }

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    subscript(metadataKey _: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        guard event.level >= .error else { return }
        lines.withLock { $0.append("\(event.message) \(event.metadata ?? [:])") }
    }
}
