import CampusGuardCore
import CampusGuardTestKit
import Foundation
import GRDB
import Testing

@testable import CampusGuardStore

/// A reading `seconds` after `testStart`.
func reading(
    _ device: String,
    _ channel: ChannelID,
    _ value: ReadingValue,
    at seconds: Int64,
    source: ReadingSource = .mqtt,
    selfTest: Bool = false
) -> Reading {
    Reading(
        device: device,
        channel: channel,
        value: value,
        timestamp: testStart + .seconds(seconds),
        source: source,
        selfTest: selfTest
    )
}

/// An event `seconds` after `testStart`.
func event(
    _ type: EventType = .alarmRaised,
    alarm: String?,
    devices: [String],
    at seconds: Int64 = 0,
    kind: AlarmKind = .smoke,
    note: String? = nil
) -> Event {
    Event(
        timestamp: testStart + .seconds(seconds),
        type: type,
        alarm: alarm,
        kind: kind,
        severity: kind.defaultSeverity,
        devices: devices,
        location: "dorm-a/3/301",
        note: note
    )
}

extension Store {
    func allReadings(_ query: StoreQuery = StoreQuery()) throws -> [StoredReading] {
        var out: [StoredReading] = []
        try forEachReading(query) { out.append($0) }
        return out
    }

    func allEventLines(_ query: StoreQuery = StoreQuery()) throws -> [String] {
        var out: [String] = []
        try forEachEvent(query) { out.append($0) }
        return out
    }

    /// Writes `count` temperature readings, one a second from `testStart + start`, in 1,000-row transactions.
    func fill(_ count: Int, start: Int64 = 0, devices: Int = 10) async throws {
        var batch: [Reading] = []
        for i in 0..<count {
            let device = "dev-\(i % devices)"
            batch.append(
                reading(device, ChannelID(.temperature), .number(20 + Double(i % 100) / 10), at: start + Int64(i))
            )
            if batch.count == 1_000 {
                try await append(readings: batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try await append(readings: batch)
    }

    /// Runs SQL on the store's own writer connection (where per-connection pragmas such as
    /// `max_page_count` take effect).
    func onWriter(_ sql: String) throws {
        try pool.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    func journalMode() throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
    }

    func pragma(_ name: String) throws -> Int64 {
        try pool.read { db in try Int64.fetchOne(db, sql: "PRAGMA \(name)") ?? -1 }
    }
}

/// Catches the `StoreError` that `body` throws; records an issue when it throws none or another error.
func storeError(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> StoreError?
{
    do {
        try await body()
        Issue.record("expected a StoreError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let e as StoreError {
        return e
    } catch {
        Issue.record("expected a StoreError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
