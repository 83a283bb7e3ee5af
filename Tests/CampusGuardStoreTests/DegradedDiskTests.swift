import CampusGuardCore
import CampusGuardTestKit
import Foundation
import GRDB
import Testing

@testable import CampusGuardStore

@Suite("Store: a full disk, a corrupt file, a read-only store")
struct DegradedDiskTests {
    let dir = TemporaryDirectory()

    @Test("a full disk: writes fail with condition disk_full; reads go on; writes work again once there is room")
    func diskFull() async throws {
        let store = try Store(path: dir.storePath)
        try await store.fill(1_000)
        // SQLite's own page limit stands in for the disk: a write that needs one more page fails
        // with SQLITE_FULL, as it does when the file system has no room.
        try store.onWriter("PRAGMA max_page_count = \(try store.pragma("page_count"))")

        let readings = await storeError { try await store.fill(10_000, start: 1_000) }
        #expect(readings?.condition == "disk_full")
        #expect(readings?.operation.contains("readings") == true)
        let events = await storeError {
            try await store.append(events: [
                event(alarm: "A-1", devices: ["s"], note: String(repeating: "x", count: 10_000))
            ])
        }
        #expect(events?.condition == "disk_full")
        #expect(events.map { "\($0)" }?.contains("full") == true, "the message says so: \(String(describing: events))")

        #expect(try store.counts().readings == 1_000, "the failed batches left nothing half-written")
        #expect(try store.counts().events == 0)

        try store.onWriter("PRAGMA max_page_count = 1000000")
        try await store.fill(10_000, start: 1_000)
        try await store.append(events: [event(alarm: "A-1", devices: ["s"])])
        #expect(try store.counts().readings == 11_000)
        #expect(
            try store.allReadings(StoreQuery(device: "dev-3")).count == 1_100,
            "series known before the failure still resolve"
        )
    }

    @Test("a file of garbage: opening fails with condition corrupt")
    func corrupt() throws {
        var garbage = [UInt8](repeating: 0, count: 64 * 1024)
        var x: UInt32 = 2_463_534_242
        for i in garbage.indices {
            x ^= x << 13
            x ^= x >> 17
            x ^= x << 5
            garbage[i] = UInt8(truncatingIfNeeded: x)
        }
        #expect(FileManager.default.createFile(atPath: dir.storePath, contents: Data(garbage)))
        for readOnly in [false, true] {
            do {
                _ = try Store(path: dir.storePath, readOnly: readOnly)
                Issue.record("opened a file of garbage (readOnly: \(readOnly))")
            } catch {
                #expect(error.condition == "corrupt", "\(error)")
                #expect(error.operation.contains(dir.storePath))
            }
        }
    }

    @Test("a store opened read-only: writes fail with condition read_only, reads work")
    func readOnlyConnection() async throws {
        do {
            let store = try Store(path: dir.storePath)
            try await store.fill(10)
        }
        let store = try Store(path: dir.storePath, readOnly: true)
        #expect(try store.allReadings().count == 10)
        let readings = await storeError { try await store.fill(5) }
        #expect(readings?.condition == "read_only")
        let events = await storeError { try await store.append(events: [event(alarm: "A-1", devices: ["s"])]) }
        #expect(events?.condition == "read_only")
        let outbox = await storeError {
            try await store.enqueue(
                [OutboxEntry(delivery: "d", target: "duty", payload: "{}", nextAttempt: testStart)],
                at: testStart
            )
        }
        #expect(outbox?.condition == "read_only")
    }

    @Test("read-only without a file: opening says there is no store")
    func readOnlyMissing() {
        do {
            _ = try Store(path: dir.storePath, readOnly: true)
            Issue.record("opened a store that does not exist")
        } catch {
            #expect(error.message.contains("no store"))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.storePath), "and made none")
    }
}

extension DegradedDiskTests {
    @Test(
        "a read-only file (chattr +i, which binds root too): opening fails with condition read_only; it opens once writable",
        .enabled(if: ImmutableFile.available, "needs chattr and a file system with the immutable attribute")
    )
    func readOnlyFile() async throws {
        do {
            let store = try Store(path: dir.storePath)
            try await store.fill(10)
        }
        #expect(ImmutableFile.set(dir.storePath, immutable: true))
        defer { ImmutableFile.set(dir.storePath, immutable: false) }
        do {
            _ = try Store(path: dir.storePath)
            Issue.record("opened an immutable store for writing")
        } catch {
            #expect(error.condition == "read_only", "\(error)")
        }
        let reader = try Store(path: dir.storePath, readOnly: true)
        #expect(try reader.allReadings().count == 10, "an export still reads it")

        #expect(ImmutableFile.set(dir.storePath, immutable: false))
        let store = try Store(path: dir.storePath)
        try await store.fill(5, start: 10)
        #expect(try store.counts().readings == 15)
    }
}
