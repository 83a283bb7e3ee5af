import CampusGuardCore
import CampusGuardStore

extension WebPageSources {
    /// The page's inspections and open tickets from the store (docs/tickets.md).
    public init(store: Store) {
        self.init(
            inspections: { device in
                try store.inspections(device: device, limit: 50).map { r in
                    // The evidence is what makes a pass worth something: a test alarm of the device.
                    let evidence = r.evidence.map { "test alarm \($0.alarm) at \(RFC3339.format($0.raisedAt))" }
                    let ticket = r.ticket.map { "ticket \($0)" }
                    let note = [r.note, evidence, ticket].compactMap { $0 }.joined(separator: " · ")
                    return WebInspectionRecord(
                        at: r.at,
                        by: r.by,
                        result: r.result.rawValue,
                        note: note.isEmpty ? nil : note
                    )
                }
            },
            openTickets: {
                try store.openTickets().map { t in
                    WebTicketSummary(
                        id: t.id,
                        title: t.title,
                        building: t.building,
                        status: t.status.rawValue,
                        openedAt: t.createdAt
                    )
                }
            }
        )
    }
}
