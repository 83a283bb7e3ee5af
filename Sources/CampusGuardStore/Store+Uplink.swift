import CampusGuardCore
import GRDB

/// What the uplink sends upstream, each in its own order.
public enum UplinkStream: String, Sendable, CaseIterable {
    case events, readings
}

/// One stored row on its way upstream: its row id (the stream's order) and its JSON line.
public struct UplinkRow: Sendable, Hashable {
    public var id: Int64
    public var timestamp: Instant
    public var line: String
}

extension Store {
    /// The last row id of a stream the upstream broker has acknowledged.
    public func uplinkSentThrough(_ stream: UplinkStream) throws(StoreError) -> Int64 {
        try read("reading the uplink position") { db in
            try Int64.fetchOne(
                db,
                sql: "SELECT sent_through FROM uplink WHERE stream = ?",
                arguments: [stream.rawValue]
            ) ?? 0
        }
    }

    /// Records that the upstream broker acknowledged every row of `stream` up to `id`.
    public func markUplinked(_ stream: UplinkStream, through id: Int64) async throws(StoreError) {
        try await write("recording the uplink position") { db in
            try db.execute(
                sql: """
                    INSERT INTO uplink (stream, sent_through) VALUES (?, ?)
                    ON CONFLICT(stream) DO UPDATE SET sent_through = max(sent_through, excluded.sent_through)
                    """,
                arguments: [stream.rawValue, id]
            )
        }
    }

    /// The rows of `stream` after `id`, in order, at most `limit`.
    public func uplinkRows(_ stream: UplinkStream, after id: Int64, limit: Int) throws(StoreError) -> [UplinkRow] {
        try read("reading \(stream.rawValue) for the uplink") { db in
            switch stream {
            case .events:
                return try Row.fetchAll(
                    db,
                    sql: "SELECT id, ts, line FROM events WHERE id > ? ORDER BY id LIMIT ?",
                    arguments: [id, limit]
                ).map {
                    UplinkRow(id: $0["id"], timestamp: Instant(millisecondsSinceEpoch: $0["ts"]), line: $0["line"])
                }
            case .readings:
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT r.id, r.ts, s.device, s.channel, r.value, r.text, r.flags
                        FROM readings r JOIN series s ON s.id = r.series
                        WHERE r.id > ? ORDER BY r.id LIMIT ?
                        """,
                    arguments: [id, limit]
                ).map { row in
                    let reading = StoredReading(row)
                    return UplinkRow(id: reading.id, timestamp: reading.reading.timestamp, line: reading.jsonLine)
                }
            }
        }
    }

    /// How far behind the uplink is: rows not yet acknowledged upstream, and the oldest one's time.
    public func uplinkBacklog(_ stream: UplinkStream) throws(StoreError) -> (rows: Int64, oldest: Instant?) {
        let through = try uplinkSentThrough(stream)
        let table = stream == .events ? "events" : "readings"
        return try read("measuring the uplink backlog") { db in
            let max = try Int64.fetchOne(db, sql: "SELECT max(id) FROM \(table)") ?? 0
            let oldest = try Int64.fetchOne(
                db,
                sql: "SELECT ts FROM \(table) WHERE id > ? ORDER BY id LIMIT 1",
                arguments: [through]
            )
            // Ids are contiguous but for the oldest rows retention removed: cheap to count.
            let first = try Int64.fetchOne(db, sql: "SELECT min(id) FROM \(table)") ?? 1
            let rows = max > through ? max - Swift.max(through, first - 1) : 0
            return (rows, oldest.map { Instant(millisecondsSinceEpoch: $0) })
        }
    }
}
