import CampusGuardCore

/// What a config reload did: applied (with what changed), or refused (with every problem).
public enum ReloadOutcome: Sendable, Hashable {
    case applied(ReloadSummary)
    /// The new config was invalid, or the daemon was stopping: nothing changed. Each problem
    /// as `FILE:LINE:COLUMN: message`, as `check-config` prints it.
    case refused([String])
}

/// What an applied reload changed, and what waits for a restart.
public struct ReloadSummary: Sendable, Hashable, CustomStringConvertible {
    public var devices: DeviceChanges
    /// Staff channels built again (added or changed) or dropped.
    public var channelsChanged: [String]
    public var rosterChanged: Bool
    public var policiesChanged: Bool
    /// Config keys that changed but take effect only at the next restart (`mqtt.brokers.local`, `api`, …).
    public var restartNeeded: [String]
    /// The events the switch caused (a lowered limit raising at once, a removed device's fault clearing).
    public var events: Int

    public init(
        devices: DeviceChanges,
        channelsChanged: [String],
        rosterChanged: Bool,
        policiesChanged: Bool,
        restartNeeded: [String],
        events: Int
    ) {
        self.devices = devices
        self.channelsChanged = channelsChanged
        self.rosterChanged = rosterChanged
        self.policiesChanged = policiesChanged
        self.restartNeeded = restartNeeded
        self.events = events
    }

    /// `devices +1 −0 ~2, roster changed, policies unchanged, channels changed: duty, restart needed: api`.
    public var description: String {
        var parts = [
            "devices +\(devices.added.count) −\(devices.removed.count) ~\(devices.changed.count)",
            "roster \(rosterChanged ? "changed" : "unchanged")",
            "policies \(policiesChanged ? "changed" : "unchanged")",
        ]
        if !channelsChanged.isEmpty { parts.append("channels changed: " + channelsChanged.joined(separator: ",")) }
        parts.append(
            restartNeeded.isEmpty
                ? "nothing waits for a restart" : "restart needed: " + restartNeeded.joined(separator: ", ")
        )
        return parts.joined(separator: ", ")
    }
}
