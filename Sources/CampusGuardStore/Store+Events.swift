import CampusGuardCore
import GRDB

extension Store {
    /// Commits events (in their order) and returns their row ids, the order in which the
    /// uplink and the export read them. `journalThrough` is the intake journal's position the
    /// engine had processed when it made them.
    @discardableResult
    public func append(events: [Event], journalThrough: UInt64? = nil) async throws(StoreError) -> [Int64] {
        guard !events.isEmpty || journalThrough != nil else { return [] }
        let rows = events.map(EventRow.init)
        return try await write("writing \(events.count) events") { db in
            let ids = try self.insert(rows, db)
            if let journalThrough { try self.advanceMeta(MetaKey.engineThrough, Int64(journalThrough), db) }
            return ids
        }
    }

    func insert(_ rows: [EventRow], _ db: Database) throws -> [Int64] {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO events (ts, type, alarm, kind, test, devices, line) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        var ids: [Int64] = []
        ids.reserveCapacity(rows.count)
        var highest = try meta(MetaKey.alarmSequence, db) ?? 0
        for row in rows {
            statement.setUncheckedArguments([row.ts, row.type, row.alarm, row.kind, row.test, row.devices, row.line])
            try statement.execute()
            ids.append(db.lastInsertedRowID)
            if let n = row.alarmSequence, n > highest { highest = n }
        }
        try setMeta(MetaKey.alarmSequence, highest, db)
        return ids
    }

    /// The next number for alarm ids, so that a restarted engine never reuses one.
    public func nextAlarmSequence() throws(StoreError) -> Int {
        try read("reading the alarm sequence") { db in Int(try self.meta(MetaKey.alarmSequence, db) ?? 0) + 1 }
    }

    /// The intake journal's positions the store has committed: readings, and the engine's events.
    public func journalPositions() throws(StoreError) -> (readings: UInt64, engine: UInt64) {
        try read("reading the journal positions") { db in
            (
                UInt64(try self.meta(MetaKey.readingsThrough, db) ?? 0),
                UInt64(try self.meta(MetaKey.engineThrough, db) ?? 0)
            )
        }
    }
}

/// An event as the `events` table keeps it: indexed columns, and the JSON line itself.
struct EventRow: Sendable {
    var ts: Int64
    var type: String
    var alarm: String?
    var kind: String
    var test: Bool
    /// `,dev-1,dev-2,`: a device filter is `LIKE '%,dev-1,%'`.
    var devices: String
    var line: String

    init(_ e: Event) {
        ts = e.timestamp.millisecondsSinceEpoch
        type = e.type.rawValue
        alarm = e.alarm
        kind = e.kind.rawValue
        test = e.test
        devices = "," + e.devices.joined(separator: ",") + ","
        line = e.jsonLine
    }

    /// The number after the last `-` of an alarm id (`20261120T141000Z-17` → 17).
    var alarmSequence: Int64? {
        guard let alarm, let dash = alarm.lastIndex(of: "-") else { return nil }
        return Int64(alarm[alarm.index(after: dash)...])
    }
}

extension Store {
    /// The alarms and faults still open according to the stored events: what a restarted
    /// engine takes back (`AlarmEngine.restore`).
    public func openAlarms() throws(StoreError) -> [OpenAlarmRecord] {
        OpenAlarmRecord.open(from: try openAlarmEvents())
    }

    /// Every event of the alarms and faults not yet resolved or cleared, in order: what a
    /// restarted engine and escalation planner are rebuilt from.
    public func openAlarmEvents() throws(StoreError) -> [Event] {
        try read("reading open alarms") { db in
            let lines = try String.fetchAll(
                db,
                sql: """
                    SELECT line FROM events WHERE alarm IN (
                        SELECT alarm FROM events WHERE alarm IS NOT NULL GROUP BY alarm
                        HAVING max(type IN ('alarm.resolved', 'fault.cleared')) = 0
                    ) ORDER BY id
                    """
            )
            return lines.compactMap(Event.init(jsonLine:))
        }
    }
}
