/// Where the web page reads what other parts of the daemon keep: a device's inspection records
/// and the open hazard tickets. `APIServer` reads them from its store (`init(store:)`); without
/// a store, or in tests, they default to "no records".
public struct WebPageSources: Sendable {
    /// A device's inspections, newest first.
    public var inspections: @Sendable (_ device: String) async throws -> [WebInspectionRecord]
    /// The hazard tickets not yet closed, oldest first.
    public var openTickets: @Sendable () async throws -> [WebTicketSummary]

    public init(
        inspections: @escaping @Sendable (_ device: String) async throws -> [WebInspectionRecord] = { _ in [] },
        openTickets: @escaping @Sendable () async throws -> [WebTicketSummary] = { [] }
    ) {
        self.inspections = inspections
        self.openTickets = openTickets
    }
}
