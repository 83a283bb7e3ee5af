import CampusGuardCore
import GRDB

extension Store {
    /// The row of ticket `T-2026-0001`; nil when the id is not one or there is no such ticket.
    func ticketRowID(_ id: String, _ db: Database) throws -> Int64? {
        guard let n = HazardTicket.number(id) else { return nil }
        return try Int64.fetchOne(
            db,
            sql: "SELECT id FROM tickets WHERE year = ? AND seq = ?",
            arguments: [n.year, n.seq]
        )
    }

    func fetchTicket(rowID: Int64, _ db: Database) throws -> HazardTicket? {
        try tickets(Row.fetchAll(db, sql: "SELECT * FROM tickets WHERE id = ?", arguments: [rowID]), db).first
    }

    /// Tickets from their rows, in the rows' order, each with its steps.
    func tickets(_ rows: [Row], _ db: Database) throws -> [HazardTicket] {
        guard !rows.isEmpty else { return [] }
        let ids: [Int64] = rows.map { $0["id"] }
        var steps: [Int64: [TicketStep]] = [:]
        // Chunks stay well under SQLite's limit on bound parameters.
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            for row in try Row.fetchAll(
                db,
                sql: "SELECT * FROM ticket_steps WHERE ticket IN (\(marks)) ORDER BY id",
                arguments: StatementArguments(chunk)
            ) {
                steps[row["ticket"], default: []].append(Self.step(row))
            }
        }
        return rows.map { row in
            let id: Int64 = row["id"]
            return HazardTicket(
                id: HazardTicket.id(year: row["year"], seq: row["seq"]),
                title: row["title"],
                building: row["building"],
                location: row["location"],
                device: row["device"],
                fault: row["fault"],
                kind: (row["kind"] as String?).flatMap(AlarmKind.init(rawValue:)),
                status: TicketStatus(rawValue: row["status"]) ?? .found,
                assignee: row["assignee"],
                createdAt: Instant(millisecondsSinceEpoch: row["created"]),
                createdBy: row["created_by"],
                updatedAt: Instant(millisecondsSinceEpoch: row["updated"]),
                closedAt: (row["closed"] as Int64?).map(Instant.init(millisecondsSinceEpoch:)),
                steps: steps[id] ?? []
            )
        }
    }

    static func step(_ row: Row) -> TicketStep {
        var photos: [String] = []
        if let text: String = row["photos"], case .array(let items)? = try? JSONParser.parse(text) {
            photos = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
        }
        return TicketStep(
            kind: TicketStepKind(rawValue: row["step"]) ?? .note,
            at: Instant(millisecondsSinceEpoch: row["ts"]),
            by: row["by"],
            note: row["note"],
            photos: photos,
            assignee: row["assignee"]
        )
    }

    func insertStep(_ step: NewTicketStep, ticket: Int64, at time: Instant, _ db: Database) throws {
        let photos =
            step.photos.isEmpty ? nil : "[" + step.photos.map(JSONObjectWriter.quote).joined(separator: ",") + "]"
        try db.execute(
            sql: "INSERT INTO ticket_steps (ticket, step, ts, by, note, assignee, photos) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                ticket, step.kind.rawValue, time.millisecondsSinceEpoch, step.by, step.note, step.assignee, photos,
            ]
        )
    }

    /// Why `step` may not follow, in words that say what may.
    static func wrongStep(_ step: TicketStepKind, _ ticket: HazardTicket) -> String {
        if step == .found { return "found is the first step, taken when a ticket is opened" }
        if ticket.status == .closed {
            return "\(ticket.id) is closed: only notes may be added; open a new ticket if the hazard is back"
        }
        let next = ticket.status.nextSteps.map(\.rawValue)
        let list = next.dropLast().joined(separator: ", ") + " or " + next.last!
        return "\(ticket.id) is \(ticket.status.rawValue): the next step is \(list), not \(step.rawValue)"
    }

    /// Validates and inserts a new ticket with its `found` step, in the caller's transaction.
    func insertTicket(_ new: NewTicket, at time: Instant, year: Int?, _ db: Database) throws -> HazardTicket {
        let found = try NewTicketStep(kind: .found, by: new.by, note: new.note, photos: new.photos).checked()
        guard let title = try NewTicketStep.line(new.title, field: "title", max: 200) else {
            throw StoreError.invalid("title", "\"title\" is required: say what the hazard is")
        }
        let year = Int64(year ?? Int(RFC3339.format(time).prefix(4)) ?? 1970)
        var building = new.building
        var location = new.location
        var device = new.device
        var kind: AlarmKind? = nil
        if let fault = new.fault {
            guard building == nil, location == nil, device == nil else {
                throw StoreError.invalid(
                    "fault",
                    "leave out building, location and device with \"fault\": they come from the fault"
                )
            }
            guard
                let line = try String.fetchOne(
                    db,
                    sql: "SELECT line FROM events WHERE alarm = ? ORDER BY id LIMIT 1",
                    arguments: [fault]
                ), let event = Event(jsonLine: line)
            else { throw StoreError.invalid("fault", "\"fault\": no alarm or fault \(fault) in the store") }
            location = event.location
            building = event.location.split(separator: "/").first.map(String.init)
            device = event.devices.count == 1 ? event.devices[0] : nil
            kind = event.kind
        }
        guard let building, !building.isEmpty else {
            throw StoreError.invalid("building", "\"building\" is required")
        }
        if let location, location != building, !location.hasPrefix(building + "/") {
            throw StoreError.invalid("location", "\"location\" \(location) is not in building \(building)")
        }
        let seq =
            (try Int64.fetchOne(db, sql: "SELECT max(seq) FROM tickets WHERE year = ?", arguments: [year]) ?? 0) + 1
        let ms = time.millisecondsSinceEpoch
        try db.execute(
            sql: """
                INSERT INTO tickets (year, seq, title, building, location, device, fault, kind, status,
                                     created, created_by, updated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'found', ?, ?, ?)
                """,
            arguments: [year, seq, title, building, location, device, new.fault, kind?.rawValue, ms, found.by, ms]
        )
        let row = db.lastInsertedRowID
        try self.insertStep(found, ticket: row, at: time, db)
        return try self.fetchTicket(rowID: row, db)!
    }
}
