import CampusGuardCore
import GRDB

extension Store {
    /// How far back from an inspection record a test alarm of its device counts as the test's
    /// evidence: a person presses the test button, checks the siren and the message, then
    /// records the result — well within two hours on one round of a building.
    public static let inspectionEvidenceWindow = Interval.hours(2)

    /// Records an inspection at `time` and returns it, with its evidence and ticket.
    ///
    /// Evidence: the test alarm `new.evidence` names (it must be an `alarm.raised` event marked
    /// test, naming the device, raised no later than `time`), or else the latest such alarm
    /// raised within `inspectionEvidenceWindow` before `time`, if any. A failed inspection
    /// with `new.ticket` opens that hazard ticket in the same transaction.
    ///
    /// - Parameter year: the ticket id's year in the site's time zone (as for `createTicket`).
    /// - Throws: `StoreError` with `refusal` `.invalid(field:)`: `evidence` not a test alarm
    ///   of the device, `ticket` with a pass, a bad note or `by`.
    public func recordInspection(
        _ new: NewInspection,
        at time: Instant,
        year: Int? = nil
    ) async throws(StoreError)
        -> InspectionRecord
    {
        guard let by = try NewTicketStep.line(new.by, field: "by", max: 64) else {
            throw .invalid("by", "\"by\" is required")
        }
        let note = try NewTicketStep.text(new.note, field: "note", max: NewTicketStep.maxNote)
        guard new.ticket == nil || new.result == .fail else {
            throw .invalid("ticket", "a ticket is opened for a failed inspection only")
        }
        return try await write("recording an inspection of \(new.device)") { db in
            let evidence = try self.evidence(for: new.device, named: new.evidence, before: time, db)
            var ticket: Int64? = nil
            if var t = new.ticket {
                t.by = by
                let opened = try self.insertTicket(t, at: time, year: year, db)
                ticket = try self.ticketRowID(opened.id, db)
            }
            try db.execute(
                sql: """
                    INSERT INTO inspections (device, ts, by, result, note, evidence_alarm, evidence_ts,
                                             evidence_linked, ticket)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    new.device, time.millisecondsSinceEpoch, by, new.result.rawValue, note, evidence?.alarm,
                    evidence?.raisedAt.millisecondsSinceEpoch,
                    evidence.map { $0.automatic ? "automatic" : "named" }, ticket,
                ]
            )
            return try self.inspections(where: "i.id = ?", [db.lastInsertedRowID], db).first!
        }
    }

    /// The inspections of one device, newest first: for `GET /api/v1/devices/{id}/inspections`,
    /// `campusguard inspect` and the device's page.
    public func inspections(device: String, limit: Int = 100) throws(StoreError) -> [InspectionRecord] {
        try read("reading the inspections of \(device)") { db in
            guard try db.tableExists("inspections") else { return [] }
            return try self.inspections(
                where: "i.device = ? ORDER BY i.ts DESC, i.id DESC LIMIT ?",
                [device, limit],
                db
            )
        }
    }

    /// The inspections from `since` (inclusive) to `until` (exclusive), oldest first; nil
    /// leaves that end open.
    public func inspections(
        since: Instant?,
        until: Instant?,
        limit: Int = 10_000
    ) throws(StoreError)
        -> [InspectionRecord]
    {
        try read("reading inspections") { db in
            guard try db.tableExists("inspections") else { return [] }
            return try self.inspections(
                where: "i.ts >= ? AND i.ts < ? ORDER BY i.ts, i.id LIMIT ?",
                [since?.millisecondsSinceEpoch ?? Int64.min, until?.millisecondsSinceEpoch ?? Int64.max, limit],
                db
            )
        }
    }

    private func evidence(
        for device: String,
        named alarm: String?,
        before time: Instant,
        _ db: Database
    ) throws -> InspectionRecord.Evidence? {
        let sql = """
            SELECT alarm, ts FROM events
            WHERE type = 'alarm.raised' AND test = 1 AND instr(devices, ',' || ? || ',') > 0 AND ts <= ?
            """
        if let alarm {
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: sql + " AND alarm = ?",
                    arguments: [device, time.millisecondsSinceEpoch, alarm]
                )
            else {
                throw StoreError.invalid(
                    "evidence",
                    "\"evidence\": \(alarm) is not a test alarm of \(device) raised before now (a self-test, a test in maintenance or a drill)"
                )
            }
            return .init(alarm: row["alarm"], raisedAt: Instant(millisecondsSinceEpoch: row["ts"]), automatic: false)
        }
        let from = (time - Self.inspectionEvidenceWindow).millisecondsSinceEpoch
        let row = try Row.fetchOne(
            db,
            sql: sql + " AND ts >= ? ORDER BY ts DESC, id DESC LIMIT 1",
            arguments: [device, time.millisecondsSinceEpoch, from]
        )
        return row.map {
            .init(alarm: $0["alarm"], raisedAt: Instant(millisecondsSinceEpoch: $0["ts"]), automatic: true)
        }
    }

    private func inspections(
        where clause: String,
        _ arguments: StatementArguments,
        _ db: Database
    ) throws
        -> [InspectionRecord]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT i.*, t.year AS ticket_year, t.seq AS ticket_seq
                FROM inspections i LEFT JOIN tickets t ON t.id = i.ticket WHERE \(clause)
                """,
            arguments: arguments
        ).map { row in
            let evidence: InspectionRecord.Evidence? = (row["evidence_alarm"] as String?).map { alarm in
                .init(
                    alarm: alarm,
                    raisedAt: Instant(millisecondsSinceEpoch: row["evidence_ts"]),
                    automatic: (row["evidence_linked"] as String?) == "automatic"
                )
            }
            let year: Int64? = row["ticket_year"]
            let seq: Int64? = row["ticket_seq"]
            return InspectionRecord(
                id: row["id"],
                device: row["device"],
                at: Instant(millisecondsSinceEpoch: row["ts"]),
                by: row["by"],
                result: InspectionRecord.Result(rawValue: row["result"]) ?? .fail,
                note: row["note"],
                evidence: evidence,
                ticket: year.flatMap { y in seq.map { HazardTicket.id(year: y, seq: $0) } }
            )
        }
    }
}
