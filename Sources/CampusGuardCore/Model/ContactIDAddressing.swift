/// Where each device is in Contact ID terms: group (GG) = its building's number, zone (ZZZ) =
/// its number within the building.
///
/// Stable and explicit: a building's group is its `contact_id_group`, else its 1-based position
/// in `locations`; a device's zone is its `contact_id_zone`, else its 1-based position among its
/// building's devices in config order. The receiving centre's operators map these numbers to
/// places, so `campusguard devices --contact-id` prints them all.
public struct ContactIDAddressing: Sendable {
    /// One device's address.
    public struct Entry: Sendable, Hashable {
        public var device: String
        public var building: String
        public var location: LocationPath
        public var group: Int
        public var zone: Int
        /// Set by `contact_id_group` / `contact_id_zone` rather than by position.
        public var groupIsExplicit: Bool
        public var zoneIsExplicit: Bool
        /// An MQTT (radio) device: its low battery is reported as 384 (RF low battery), not 302.
        public var wireless: Bool
    }

    /// Every device, in config order.
    public let entries: [Entry]
    /// Every building's group, by building id.
    public let groups: [String: Int]
    private let index: [String: Int]

    public init(campus: Campus) { self.init(config: campus.config) }

    public init(config: SiteConfig) {
        let groupOverrides = config.policeLink?.contactIDGroups ?? [:]
        let zoneOverrides = config.policeLink?.contactIDZones ?? [:]
        let groups = SiteConfig.PoliceLink.contactIDGroups(buildings: config.buildings, overrides: groupOverrides)
        let zones = SiteConfig.PoliceLink.contactIDZones(devices: config.devices, overrides: zoneOverrides)
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        for d in config.devices {
            let building = d.location.building
            index[d.id] = entries.count
            entries.append(
                Entry(
                    device: d.id,
                    building: building,
                    location: d.location,
                    group: groups[building] ?? 0,
                    zone: zones[d.id] ?? 0,
                    groupIsExplicit: groupOverrides[building] != nil,
                    zoneIsExplicit: zoneOverrides[d.id] != nil,
                    wireless: d.topic != nil
                )
            )
        }
        self.entries = entries
        self.groups = groups
        self.index = index
    }

    /// The address of a device; nil for an id the config does not have.
    public func entry(device: String) -> Entry? { index[device].map { entries[$0] } }

    /// The group of a building; nil for an id the config does not have.
    public func group(building: String) -> Int? { groups[building] }
}
