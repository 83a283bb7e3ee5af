import CampusGuardCore

/// One open hazard ticket as the tickets page lists it.
public struct WebTicketSummary: Sendable, Hashable {
    public var id: String
    public var title: String
    /// A location id of the config (`dorm-a`); nil for the whole site.
    public var building: String?
    /// Where it is in the loop: `found`, `assigned`, `rectified`, `verified`.
    public var status: String
    public var openedAt: Instant

    public init(id: String, title: String, building: String?, status: String, openedAt: Instant) {
        self.id = id
        self.title = title
        self.building = building
        self.status = status
        self.openedAt = openedAt
    }
}
