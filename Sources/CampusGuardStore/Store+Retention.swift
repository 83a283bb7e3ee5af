import CampusGuardCore
import GRDB

/// How long readings are kept and how big the store may grow.
public struct RetentionPolicy: Sendable, Hashable {
    /// Readings older than this are deleted.
    public var maxAge: Interval
    /// Past this size (bytes in use in the database file), the oldest readings are deleted.
    public var maxBytes: Int64

    public init(maxAge: Interval = .seconds(30 * 86_400), maxBytes: Int64 = 2 << 30) {
        self.maxAge = maxAge
        self.maxBytes = maxBytes
    }
}

/// What one retention pass did.
public struct RetentionReport: Sendable, Hashable {
    public var deletedByAge: Int64 = 0
    public var deletedBySize: Int64 = 0
    /// Bytes in use after the pass.
    public var usedBytes: Int64 = 0
    /// Still over the size cap with no readings left to delete but the newest (events and deliveries
    /// are never deleted).
    public var overCapWithoutReadings = false
}

extension Store {
    /// Rows deleted per transaction: short write transactions, so events waiting to be
    /// committed (alarms) never wait behind a long delete.
    static let retentionChunk: Int64 = 20_000

    /// Deletes readings past the policy's age, then the oldest readings while the store is over
    /// its size cap. Events and outbox rows are never deleted.
    ///
    /// The newest reading row always stays: SQLite gives a new row the highest id plus one, so
    /// deleting it would hand its id out again, behind the uplink's cursor.
    public func applyRetention(_ policy: RetentionPolicy, now: Instant) async throws(StoreError) -> RetentionReport {
        var report = RetentionReport()
        let cutoff = (now - policy.maxAge).millisecondsSinceEpoch
        // Row ids follow arrival, timestamps nearly so: delete by id up to the last too-old row.
        for _ in 0..<10_000 {
            let n = try await write("deleting readings older than \(policy.maxAge)") { db -> Int64 in
                guard
                    let last = try Int64.fetchOne(
                        db,
                        sql: "SELECT max(id) FROM (SELECT id FROM readings WHERE ts < ? ORDER BY ts LIMIT ?)",
                        arguments: [cutoff, Self.retentionChunk]
                    )
                else { return 0 }
                try db.execute(
                    sql: "DELETE FROM readings WHERE id <= ? AND ts < ? AND id < (SELECT max(id) FROM readings)",
                    arguments: [last, cutoff]
                )
                return Int64(db.changesCount)
            }
            report.deletedByAge += n
            if n == 0 { break }
        }
        for _ in 0..<10_000 {
            let used = try usedBytes()
            report.usedBytes = used
            guard used > policy.maxBytes else { break }
            let n = try await write("deleting the oldest readings (size cap)") { db -> Int64 in
                guard let first = try Int64.fetchOne(db, sql: "SELECT min(id) FROM readings"),
                    let newest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM readings")
                else { return 0 }
                try db.execute(
                    sql: "DELETE FROM readings WHERE id < ?",
                    arguments: [min(first + Self.retentionChunk, newest)]
                )
                return Int64(db.changesCount)
            }
            if n == 0 {
                report.overCapWithoutReadings = true
                break
            }
            report.deletedBySize += n
        }
        if report.deletedByAge + report.deletedBySize > 0 {
            // Give the freed pages back to the file system.
            try await write("returning free pages") { db in try db.execute(sql: "PRAGMA incremental_vacuum") }
        }
        report.usedBytes = try usedBytes()
        return report
    }

    /// Bytes of the database file in use (pages not on the free list).
    public func usedBytes() throws(StoreError) -> Int64 {
        try read("measuring the store") { db in
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let free = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            let size = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
            return (pages - free) * size
        }
    }
}
