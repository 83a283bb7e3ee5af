import CampusGuardCore
import GRDB

extension Store {
    /// Records a drill the engine has started, and returns its id. A drill still open in the
    /// log ends when this one starts: a new drill replaces a running one.
    @discardableResult
    public func recordDrillStart(_ drill: Drill, by: String?) async throws(StoreError) -> Int64 {
        let buildings = drill.buildings.map {
            "[" + $0.sorted().map(JSONObjectWriter.quote).joined(separator: ",") + "]"
        }
        let started = drill.startedAt.millisecondsSinceEpoch
        return try await write("recording the start of drill \(drill.name)") { db in
            try db.execute(
                sql: "UPDATE drills SET stopped = ?, stopped_by = ? WHERE stopped IS NULL",
                arguments: [started, "replaced by \(drill.name)"]
            )
            try db.execute(
                sql: """
                    INSERT INTO drills (name, buildings, include_panic, started, started_by)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [drill.name, buildings, drill.includesPanicButtons, started, by]
            )
            return db.lastInsertedRowID
        }
    }

    /// Records that the running drill (if any) stopped at `time`; returns the ids it closed.
    @discardableResult
    public func recordDrillStop(at time: Instant, by: String?) async throws(StoreError) -> [Int64] {
        try await write("recording the stop of the drill") { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM drills WHERE stopped IS NULL ORDER BY id")
            try db.execute(
                sql: "UPDATE drills SET stopped = max(started, ?), stopped_by = ? WHERE stopped IS NULL",
                arguments: [time.millisecondsSinceEpoch, by]
            )
            return ids
        }
    }

    /// The drills started at or after `since` (every drill when nil), oldest first. A store
    /// made before the drill log (read-only, not migrated) has none.
    public func drills(since: Instant? = nil) throws(StoreError) -> [DrillRecord] {
        try read("reading the drill log") { db in
            guard try db.tableExists("drills") else { return [] }
            return try Row.fetchAll(
                db,
                sql: "SELECT * FROM drills WHERE started >= ? ORDER BY started, id",
                arguments: [since?.millisecondsSinceEpoch ?? Int64.min]
            ).map(DrillRecord.init)
        }
    }

    /// One drill of the log by its id; nil when there is none.
    public func drill(id: Int64) throws(StoreError) -> DrillRecord? {
        try read("reading drill \(id)") { db in
            guard try db.tableExists("drills") else { return nil }
            return try Row.fetchOne(db, sql: "SELECT * FROM drills WHERE id = ?", arguments: [id]).map(DrillRecord.init)
        }
    }

    /// Every event of the alarms raised as tests from `start` up to (not including) `end`, in
    /// order, including what happened to them after `end` (a late acknowledgement): what a
    /// drill report is worked out from.
    public func testAlarmEvents(raisedFrom start: Instant, until end: Instant) throws(StoreError) -> [Event] {
        try read("reading the events of test alarms") { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT line FROM events WHERE alarm IN (
                        SELECT alarm FROM events
                        WHERE type = 'alarm.raised' AND test = 1 AND ts >= ? AND ts < ?
                    ) ORDER BY id
                    """,
                arguments: [start.millisecondsSinceEpoch, end.millisecondsSinceEpoch]
            ).compactMap(Event.init(jsonLine:))
        }
    }
}
