import Synchronization

/// What a device is doing, as staff see it on the board, the API and the CLI.
public enum DeviceStatus: String, Sendable, Hashable, CaseIterable {
    /// Reporting, nothing open.
    case ok
    /// Part of an open alarm (smoke, fire, gas, panic, …).
    case alarm
    /// Part of an open fault (sensor fault, low battery, tamper) while still reporting.
    case fault
    /// Silent past its supervision timeout, or its bridge or bus is down.
    case offline
    /// In maintenance: its events are marked as tests until the maintenance ends.
    case maintenance
    /// Switched off in the config: not supervised, its readings ignored.
    case disabled
}

/// One device's state at one instant: its status, last value per channel, the alarms and
/// faults that cover it.
public struct DeviceSnapshot: Sendable, Hashable {
    public let id: String
    public let status: DeviceStatus
    /// The last value of each channel and the reading's own timestamp.
    public let values: [ChannelID: TimedValue]
    /// When the device was last heard from; nil if never since the daemon started.
    public let lastSeen: Instant?
    public let offlineSince: Instant?
    /// Why it is offline (`silent`, `unavailable`, `bridge_offline`, `bus_offline`, …).
    public let offlineReason: String?
    public let maintenanceUntil: Instant?
    /// Ids of the open alarms and faults that list this device, oldest first.
    public let openAlarms: [String]

    public init(
        id: String,
        status: DeviceStatus,
        values: [ChannelID: TimedValue],
        lastSeen: Instant?,
        offlineSince: Instant?,
        offlineReason: String?,
        maintenanceUntil: Instant?,
        openAlarms: [String]
    ) {
        self.id = id
        self.status = status
        self.values = values
        self.lastSeen = lastSeen
        self.offlineSince = offlineSince
        self.offlineReason = offlineReason
        self.maintenanceUntil = maintenanceUntil
        self.openAlarms = openAlarms
    }
}

/// A reading's value with the time the device reported it.
public struct TimedValue: Sendable, Hashable {
    public let value: ReadingValue
    public let at: Instant

    public init(value: ReadingValue, at: Instant) {
        self.value = value
        self.at = at
    }
}

/// The whole site at one instant: every device's snapshot (in config order) and the open
/// alarms and faults. Built by `AlarmEngine.board(at:)`; the daemon publishes one after every
/// tick and command, for the API, the web page, metrics and systemd's status line.
///
/// Cheap to make on the engine's loop: it keeps the engine's device states (arrays are
/// copy-on-write) and builds the snapshots the first time someone reads `devices`, on the
/// reader's thread.
public final class EngineBoard: Sendable {
    public let at: Instant
    /// Open alarms and faults, oldest first.
    public let openAlarms: [Alarm]
    public let drill: Drill?
    private let source: Source?
    private let built: Mutex<[DeviceSnapshot]?>

    /// The engine's state the snapshots are built from.
    struct Source: Sendable {
        let campus: Campus
        let states: [DeviceState]
    }

    public init(at: Instant, devices: [DeviceSnapshot], openAlarms: [Alarm], drill: Drill?) {
        self.at = at
        self.openAlarms = openAlarms
        self.drill = drill
        self.source = nil
        self.built = Mutex(devices)
    }

    init(at: Instant, source: Source, openAlarms: [Alarm], drill: Drill?) {
        self.at = at
        self.openAlarms = openAlarms
        self.drill = drill
        self.source = source
        self.built = Mutex(nil)
    }

    /// An empty board (before the engine has started).
    public static let empty = EngineBoard(at: Instant(secondsSinceEpoch: 0), devices: [], openAlarms: [], drill: nil)

    /// Every device's snapshot, in config order (built once, on first use).
    public var devices: [DeviceSnapshot] {
        built.withLock { cached in
            if let cached { return cached }
            let snapshots = source.map { Self.snapshots($0, openAlarms: openAlarms, at: at) } ?? []
            cached = snapshots
            return snapshots
        }
    }

    /// How many devices are in each status.
    public var statusCounts: [DeviceStatus: Int] {
        var counts: [DeviceStatus: Int] = [:]
        for d in devices { counts[d.status, default: 0] += 1 }
        return counts
    }

    /// Open alarms that are not faults (the ones that need a person now).
    public var activeAlarms: [Alarm] { openAlarms.filter { !$0.kind.isFault } }

    public func device(_ id: String) -> DeviceSnapshot? { devices.first { $0.id == id } }
}
