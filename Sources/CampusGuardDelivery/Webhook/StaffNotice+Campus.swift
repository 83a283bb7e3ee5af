import CampusGuardCore

extension StaffNotice {
    /// The notice of `event`, with building, floor, room and device names taken from `campus`.
    ///
    /// - Parameters:
    ///   - marking: `.drill` when a drill is in progress; by default `.test` for test events, else `.live`.
    public init(
        deliveryID: String,
        event: Event,
        campus: Campus,
        acknowledgeURL: String? = nil,
        tier: Int = 1,
        marking: NoticeMarking? = nil
    ) {
        self.init(
            deliveryID: deliveryID,
            event: event,
            site: campus.config.site,
            place: NoticePlace(location: event.location, config: campus.config),
            devices: event.devices.map { NoticeDevice(id: $0, name: campus.device($0)?.config.name) },
            acknowledgeURL: acknowledgeURL,
            tier: tier,
            marking: marking
        )
    }
}

extension NoticePlace {
    /// Resolves an event's location: `BUILDING/FLOOR/ROOM`, a part of it (`dorm-a`, `dorm-a/3`),
    /// or the site id for an event of the whole site.
    public init(location: String, config: SiteConfig) {
        let parts = location.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, let building = config.building(first) else {
            self.init()
            return
        }
        self.init(
            buildingID: building.id,
            buildingName: building.name,
            floor: parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil,
            room: parts.count > 2 && !parts[2].isEmpty ? parts[2] : nil,
            cameraURL: building.cameraURL
        )
    }
}
