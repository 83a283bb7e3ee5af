import CampusGuardCore
import GRDB

/// One planned delivery as the outbox keeps it, from planning until it is sent or given up.
public struct OutboxEntry: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case pending, sent, failed, cancelled
    }

    /// Stable across retries and restarts: a delivery is never sent under two ids.
    public var delivery: String
    /// The `events` row that caused it.
    public var event: Int64?
    public var alarm: String?
    /// Where it goes: a channel id, or `police`.
    public var target: String
    /// What the channel needs to send it (JSON of the caller's choosing).
    public var payload: String
    public var status: Status
    public var attempts: Int
    public var nextAttempt: Instant
    public var lastError: String?

    public init(
        delivery: String,
        event: Int64? = nil,
        alarm: String? = nil,
        target: String,
        payload: String,
        status: Status = .pending,
        attempts: Int = 0,
        nextAttempt: Instant,
        lastError: String? = nil
    ) {
        self.delivery = delivery
        self.event = event
        self.alarm = alarm
        self.target = target
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.nextAttempt = nextAttempt
        self.lastError = lastError
    }
}

extension Store {
    /// Commits planned deliveries; one already in the outbox under the same id is left as it is.
    public func enqueue(_ entries: [OutboxEntry], at now: Instant) async throws(StoreError) {
        guard !entries.isEmpty else { return }
        try await write("adding \(entries.count) deliveries to the outbox") { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO outbox (delivery, event, alarm, target, payload, status, attempts,
                        next_attempt, created) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)
                    """
            )
            for e in entries {
                statement.setUncheckedArguments([
                    e.delivery, e.event, e.alarm, e.target, e.payload, e.nextAttempt.millisecondsSinceEpoch,
                    now.millisecondsSinceEpoch,
                ])
                try statement.execute()
            }
        }
    }

    /// Pending deliveries, oldest first; with `dueBy`, only those whose next attempt is due.
    public func pendingDeliveries(dueBy: Instant? = nil, limit: Int = 1000) throws(StoreError) -> [OutboxEntry] {
        try read("reading the outbox") { db in
            var sql = "SELECT * FROM outbox WHERE status = 'pending'"
            var arguments: StatementArguments = []
            if let dueBy {
                sql += " AND next_attempt <= ?"
                arguments += [dueBy.millisecondsSinceEpoch]
            }
            sql += " ORDER BY id LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.entry)
        }
    }

    /// The outbox entry of a delivery id, whatever its status.
    public func delivery(_ id: String) throws(StoreError) -> OutboxEntry? {
        try read("reading delivery \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE delivery = ?", arguments: [id]).map(Self.entry)
        }
    }

    /// Records an attempt: `.sent` and `.failed` (given up) finish the delivery, `.pending`
    /// schedules the next attempt at `nextAttempt`.
    public func recordAttempt(
        _ delivery: String,
        status: OutboxEntry.Status,
        error: String? = nil,
        nextAttempt: Instant? = nil,
        at now: Instant
    ) async throws(StoreError) {
        try await write("recording an attempt of \(delivery)") { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?,
                        next_attempt = coalesce(?, next_attempt), finished = ?
                    WHERE delivery = ?
                    """,
                arguments: [
                    status.rawValue, error, nextAttempt?.millisecondsSinceEpoch,
                    status == .pending ? nil : now.millisecondsSinceEpoch, delivery,
                ]
            )
        }
    }

    /// Cancels the pending deliveries of an alarm (acknowledged: the next tiers are not sent),
    /// all of them or those to `targets`; returns how many.
    @discardableResult
    public func cancelPending(
        alarm: String,
        targets: Set<String>? = nil,
        at now: Instant
    ) async throws(StoreError) -> Int {
        try await write("cancelling deliveries of \(alarm)") { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT delivery, target FROM outbox WHERE status = 'pending' AND alarm = ?",
                arguments: [alarm]
            )
            var n = 0
            for row in rows {
                let t: String = row["target"]
                if let targets, !targets.contains(t) { continue }
                let d: String = row["delivery"]
                try db.execute(
                    sql: "UPDATE outbox SET status = 'cancelled', finished = ? WHERE delivery = ?",
                    arguments: [now.millisecondsSinceEpoch, d]
                )
                n += 1
            }
            return n
        }
    }

    static func entry(_ row: Row) -> OutboxEntry {
        OutboxEntry(
            delivery: row["delivery"],
            event: row["event"],
            alarm: row["alarm"],
            target: row["target"],
            payload: row["payload"],
            status: OutboxEntry.Status(rawValue: row["status"]) ?? .pending,
            attempts: row["attempts"],
            nextAttempt: Instant(millisecondsSinceEpoch: row["next_attempt"]),
            lastError: row["last_error"]
        )
    }
}
