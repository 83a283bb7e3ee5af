/// A drill in progress: alarms it covers are recorded and delivered to staff marked as tests,
/// and never go to the police.
public struct Drill: Sendable, Hashable {
    public var name: String
    /// The buildings it covers; nil for the whole site.
    public var buildings: Set<String>?
    /// Panic buttons stay live during a drill unless it says otherwise: a real emergency
    /// during a fire drill must still reach the police.
    public var includesPanicButtons: Bool
    public var startedAt: Instant

    public init(name: String, buildings: Set<String>? = nil, includesPanicButtons: Bool = false, startedAt: Instant) {
        self.name = name
        self.buildings = buildings
        self.includesPanicButtons = includesPanicButtons
        self.startedAt = startedAt
    }

    func covers(_ device: CampusDevice, panic: Bool) -> Bool {
        if panic && !includesPanicButtons { return false }
        return buildings.map { $0.contains(device.building.id) } ?? true
    }
}
