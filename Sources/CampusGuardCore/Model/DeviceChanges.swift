/// How the devices of two campuses differ: what a config reload adds, removes and changes.
public struct DeviceChanges: Sendable, Hashable {
    /// Ids in the new campus only, in its order.
    public var added: [String]
    /// Ids in the old campus only, in its order.
    public var removed: [String]
    /// Ids in both whose entry or limits in force differ (a changed profile or location
    /// included: the engine starts those afresh).
    public var changed: [String]

    public init(from old: Campus, to new: Campus) {
        added = new.devices.filter { old.deviceIndex[$0.id] == nil }.map(\.id)
        removed = old.devices.filter { new.deviceIndex[$0.id] == nil }.map(\.id)
        changed = new.devices.compactMap { d in
            guard let before = old.device(d.id) else { return nil }
            return before.config != d.config || before.thresholds != d.thresholds
                || before.profile.supervisionTimeout != d.profile.supervisionTimeout ? d.id : nil
        }
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }
}
