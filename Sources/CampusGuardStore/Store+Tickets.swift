import CampusGuardCore
import GRDB

extension Store {
    /// Opens a hazard ticket at `time` with its `found` step, and returns it.
    ///
    /// - Parameter year: the year of its id (`T-2026-…`), in the site's time zone; default:
    ///   the year of `time` in UTC.
    /// - Throws: `StoreError` with `refusal` `.invalid(field:)` for a bad title, note, photo,
    ///   location, or a `fault` the store has no events of.
    public func createTicket(
        _ new: NewTicket,
        at time: Instant,
        year: Int? = nil
    ) async throws(StoreError)
        -> HazardTicket
    {
        try await write("opening a hazard ticket") { db in try self.insertTicket(new, at: time, year: year, db) }
    }

    /// Adds a step to the ticket `id` at `time` and returns the ticket as it is then.
    ///
    /// - Throws: `StoreError` with `refusal` `.unknownTicket`; `.badTransition` when the step
    ///   does not follow from the ticket's status (`TicketStatus.nextSteps`);
    ///   `.verifierIsRectifier` when `verified` is taken by the person who took the latest
    ///   `rectified` step; `.invalid(field:)` for a bad note, photo or assignee.
    public func addTicketStep(
        to id: String,
        _ step: NewTicketStep,
        at time: Instant
    ) async throws(StoreError)
        -> HazardTicket
    {
        let step = try step.checked()
        return try await write("adding a step to ticket \(id)") { db in
            guard let rowID = try self.ticketRowID(id, db), let ticket = try self.fetchTicket(rowID: rowID, db) else {
                throw StoreError.refused(.unknownTicket, "no hazard ticket \(id)")
            }
            guard let next = ticket.status.after(step.kind) else {
                throw StoreError.refused(.badTransition, Self.wrongStep(step.kind, ticket))
            }
            if step.kind == .verified,
                let rectifier = ticket.steps.last(where: { $0.kind == .rectified })?.by,
                rectifier.lowercased() == step.by.lowercased()
            {
                throw StoreError.refused(
                    .verifierIsRectifier,
                    "\(ticket.id) was rectified by \(rectifier): someone else must verify it"
                )
            }
            // Only assigned and reopened steps carry an assignee (`checked()`); reopened keeps the old one without.
            let assignee = step.assignee ?? ticket.assignee
            try db.execute(
                sql: "UPDATE tickets SET status = ?, assignee = ?, updated = ?, closed = ? WHERE id = ?",
                arguments: [
                    next.rawValue, assignee, time.millisecondsSinceEpoch,
                    next == .closed ? time.millisecondsSinceEpoch : nil, rowID,
                ]
            )
            try self.insertStep(step, ticket: rowID, at: time, db)
            return try self.fetchTicket(rowID: rowID, db)!
        }
    }

    /// The ticket `id` (`T-2026-0001`) with its steps; nil when there is none.
    public func ticket(_ id: String) throws(StoreError) -> HazardTicket? {
        try read("reading ticket \(id)") { db in
            guard try db.tableExists("tickets") else { return nil }
            return try self.ticketRowID(id, db).flatMap { row in try self.fetchTicket(rowID: row, db) }
        }
    }

    /// The tickets not yet closed, oldest first, with their steps: for the report, the web
    /// page and `GET /api/v1/tickets`. Their age is `HazardTicket.age(at:)`.
    ///
    /// - Parameter building: only this building's tickets; nil for all.
    public func openTickets(building: String? = nil) throws(StoreError) -> [HazardTicket] {
        try tickets(open: true, building: building)
    }

    /// Hazard tickets with their steps.
    ///
    /// - Parameters:
    ///   - open: true: not yet closed, oldest first; false: closed, most recently closed first;
    ///     nil: all, oldest first.
    ///   - building: only this building's tickets; nil for all.
    ///   - limit: at most this many.
    public func tickets(
        open: Bool?,
        building: String? = nil,
        limit: Int = 1000
    ) throws(StoreError)
        -> [HazardTicket]
    {
        try read("reading hazard tickets") { db in
            guard try db.tableExists("tickets") else { return [] }
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let open { conditions.append(open ? "status != 'closed'" : "status = 'closed'") }
            if let building {
                conditions.append("building = ?")
                _ = arguments.append(contentsOf: [building])
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let order = open == false ? "closed DESC, id DESC" : "created, id"
            _ = arguments.append(contentsOf: [limit])
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM tickets \(filter) ORDER BY \(order) LIMIT ?",
                arguments: arguments
            )
            return try self.tickets(rows, db)
        }
    }
}
