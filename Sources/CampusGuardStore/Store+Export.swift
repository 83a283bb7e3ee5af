import CampusGuardCore
import GRDB

/// Which rows an export or a history query reads: a time range, optionally one device and channel.
public struct StoreQuery: Sendable, Hashable {
    public var since: Instant?
    public var until: Instant?
    public var device: String?
    public var channel: ChannelID?
    public var limit: Int?

    public init(
        since: Instant? = nil,
        until: Instant? = nil,
        device: String? = nil,
        channel: ChannelID? = nil,
        limit: Int? = nil
    ) {
        self.since = since
        self.until = until
        self.device = device
        self.channel = channel
        self.limit = limit
    }
}

extension Store {
    /// Calls `body` with each matching reading in time order, in one read transaction (a
    /// consistent snapshot; the daemon keeps writing meanwhile).
    public func forEachReading(
        _ query: StoreQuery,
        _ body: (StoredReading) throws -> Void
    ) throws(StoreError) {
        var sql = """
            SELECT r.id, r.ts, s.device, s.channel, r.value, r.text, r.flags
            FROM readings r JOIN series s ON s.id = r.series WHERE 1
            """
        var arguments: StatementArguments = []
        Self.timeRange(query, column: "r.ts", &sql, &arguments)
        if let device = query.device {
            sql += " AND r.series IN (SELECT id FROM series WHERE device = ?"
            arguments += [device]
            if let channel = query.channel {
                sql += " AND channel = ?"
                arguments += [channel.description]
            }
            sql += ")"
        } else if let channel = query.channel {
            sql += " AND s.channel = ?"
            arguments += [channel.description]
        }
        sql += " ORDER BY r.ts, r.id"
        if let limit = query.limit { sql += " LIMIT \(limit)" }
        do {
            try pool.read { db in
                let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try rows.next() { try body(StoredReading(row)) }
            }
        } catch {
            throw StoreError.wrapping(error, "reading readings")
        }
    }

    /// Calls `body` with each matching event's JSON line (the replay event format), in order.
    public func forEachEvent(_ query: StoreQuery, _ body: (String) throws -> Void) throws(StoreError) {
        var sql = "SELECT line FROM events WHERE 1"
        var arguments: StatementArguments = []
        Self.timeRange(query, column: "ts", &sql, &arguments)
        if let device = query.device {
            // instr, not LIKE: LIKE ignores letter case, and device ids are case-sensitive.
            sql += " AND instr(devices, ?) > 0"
            arguments += ["," + device + ","]
        }
        sql += " ORDER BY id"
        if let limit = query.limit { sql += " LIMIT \(limit)" }
        do {
            try pool.read { db in
                let rows = try String.fetchCursor(db, sql: sql, arguments: arguments)
                while let line = try rows.next() { try body(line) }
            }
        } catch {
            throw StoreError.wrapping(error, "reading events")
        }
    }

    private static func timeRange(
        _ q: StoreQuery,
        column: String,
        _ sql: inout String,
        _ args: inout StatementArguments
    ) {
        if let since = q.since {
            sql += " AND \(column) >= ?"
            args += [since.millisecondsSinceEpoch]
        }
        if let until = q.until {
            sql += " AND \(column) < ?"
            args += [until.millisecondsSinceEpoch]
        }
    }

    /// Row counts, for status lines and tests.
    public func counts() throws(StoreError) -> (readings: Int64, events: Int64, pendingDeliveries: Int64) {
        try read("counting rows") { db in
            (
                try Int64.fetchOne(db, sql: "SELECT count(*) FROM readings") ?? 0,
                try Int64.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0,
                try Int64.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE status = 'pending'") ?? 0
            )
        }
    }
}
