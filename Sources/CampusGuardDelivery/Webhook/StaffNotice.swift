import CampusGuardCore

/// What one delivery to staff carries: the event, with the names people know resolved from the
/// campus, the link to acknowledge it, and the escalation tier.
///
/// A pure value: the escalation code builds it once per delivery and hands it to a channel,
/// again unchanged on every retry (so `deliveryID` stays the same).
public struct StaffNotice: Sendable, Hashable {
    /// The delivery's stable id, given by the caller; receivers use it to drop duplicates.
    public var deliveryID: String
    public var event: Event
    public var site: SiteConfig.Site
    public var place: NoticePlace
    /// The event's devices, in its order, with their configured names.
    public var devices: [NoticeDevice]
    /// Where a person acknowledges the alarm (a signed `AcknowledgeLink`); nil when there is none.
    public var acknowledgeURL: String?
    /// The escalation tier: 1 for the first round of notices.
    public var tier: Int
    public var marking: NoticeMarking

    public init(
        deliveryID: String,
        event: Event,
        site: SiteConfig.Site,
        place: NoticePlace,
        devices: [NoticeDevice],
        acknowledgeURL: String? = nil,
        tier: Int = 1,
        marking: NoticeMarking? = nil
    ) {
        self.deliveryID = deliveryID
        self.event = event
        self.site = site
        self.place = place
        self.devices = devices
        self.acknowledgeURL = acknowledgeURL
        self.tier = tier
        self.marking = marking ?? (event.test ? .test : .live)
    }

    public var kind: AlarmKind { event.kind }
    public var severity: Severity { event.severity }
}

/// Where an event happened, in names: the building from `locations`, the floor and room from
/// the device's `BUILDING/FLOOR/ROOM`. Parts the event does not narrow down to are nil.
public struct NoticePlace: Sendable, Hashable {
    public var buildingID: String?
    public var buildingName: String?
    public var floor: String?
    public var room: String?
    /// The building's `camera_url`, so staff can look before they run.
    public var cameraURL: String?

    public init(
        buildingID: String? = nil,
        buildingName: String? = nil,
        floor: String? = nil,
        room: String? = nil,
        cameraURL: String? = nil
    ) {
        self.buildingID = buildingID
        self.buildingName = buildingName
        self.floor = floor
        self.room = room
        self.cameraURL = cameraURL
    }
}

/// One device of the event: its id and, when the config gives one, its name.
public struct NoticeDevice: Sendable, Hashable {
    public var id: String
    public var name: String?

    public init(id: String, name: String? = nil) {
        self.id = id
        self.name = name
    }
}

/// Whether a notice is about a real alarm, a test (self-test, device in maintenance) or a drill:
/// messages of the last two are marked 【测试】/【演练】 so nobody runs for a fire that is not there.
public enum NoticeMarking: String, Sendable, Hashable, CaseIterable {
    case live, test, drill
}
