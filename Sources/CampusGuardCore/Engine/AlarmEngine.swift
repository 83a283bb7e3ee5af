/// The decision core: turns readings and the passage of time into events.
///
/// A pure state machine: no I/O, no clock. `ingest(_:at:)` feeds a reading, `tick(now:)` lets
/// timers run out (minimum durations, smoke verification, supervision), and the commands
/// (`acknowledge`, `resolve`, maintenance, drills) are the people's side. Each returns the
/// events it caused, in order; the service around the engine carries them out.
public struct AlarmEngine: Sendable {
    /// The campus the engine judges by; `reconfigure(_:at:)` replaces it.
    public internal(set) var campus: Campus
    public var settings: EngineSettings { campus.config.engine }

    var devices: [DeviceState]
    /// Open alarms and faults by id, and the open one of each group.
    var alarms: [String: Alarm] = [:]
    var openByGroup: [AlarmGroup: String] = [:]
    var conditions: [ConditionKey: Condition] = [:]
    /// Room-wide conditions by room, for correlation.
    var roomConditions: [LocationPath: Set<ConditionKey>] = [:]
    var bridges: [String: BridgeStatus] = [:]
    /// How many bridges are down: when none, a reading need not look its bridge up.
    var openBridgeFaults = 0
    var drill: Drill?
    var nextSequence: Int
    public private(set) var statistics = Statistics()

    /// How many readings were new, repeated (same value again) or exact duplicates (dropped).
    public struct Statistics: Sendable, Hashable {
        public var readings = 0
        public var repeated = 0
        public var duplicates = 0
        public var unknownDevice = 0
        /// Readings of devices switched off in the config (`enabled: false`), ignored.
        public var disabledDevice = 0
    }

    /// - Parameters:
    ///   - startedAt: supervision counts silence from here for devices not heard from yet.
    ///   - firstSequence: the first number used in alarm ids (a store resuming after a restart passes its next one).
    public init(campus: Campus, startedAt: Instant, firstSequence: Int = 1) {
        self.campus = campus
        self.nextSequence = firstSequence
        self.devices = campus.devices.map { DeviceState(device: $0, startedAt: startedAt) }
        for d in campus.devices {
            if let link = d.link, d.config.enabled {
                bridges[link, default: BridgeStatus()].devices.append(d.index)
                bridges[link]?.reason = d.bridge == nil ? "bus_offline" : "bridge_offline"
            }
        }
    }

    /// The alarms and faults that are open now, oldest first.
    public var openAlarms: [Alarm] {
        alarms.values.sorted { ($0.raisedAt, $0.id) < ($1.raisedAt, $1.id) }
    }

    public func alarm(_ id: String) -> Alarm? { alarms[id] }

    /// The last value of every channel of a device, with when it was reported.
    public func lastValues(of device: String) -> [ChannelID: (value: ReadingValue, at: Instant)] {
        guard let i = campus.deviceIndex[device] else { return [:] }
        return devices[i].lastValues
    }

    // MARK: - Readings

    /// Feeds one reading; `time` is the engine's now (events are stamped with it).
    public mutating func ingest(_ reading: Reading, at time: Instant) -> [Event] {
        guard let index = campus.deviceIndex[reading.device] else {
            statistics.unknownDevice += 1
            return []
        }
        guard campus.devices[index].config.enabled else {
            statistics.disabledDevice += 1
            return []
        }
        statistics.readings += 1
        var events: [Event] = []
        if let previous = devices[index].lastValues[reading.channel] {
            if previous.value == reading.value {
                if previous.at == reading.timestamp {
                    statistics.duplicates += 1
                    return []
                }
                statistics.repeated += 1
            }
        }
        devices[index].lastValues[reading.channel] = (reading.value, reading.timestamp)
        if reading.channel.kind == .availability {
            if case .bool(let online) = reading.value {
                if online {
                    deviceHeard(index, at: time, into: &events)
                } else {
                    deviceUnavailable(
                        index,
                        reason: reading.source == .modbus ? "comms_lost" : "unavailable",
                        at: time,
                        into: &events
                    )
                }
            }
            return events
        }
        deviceHeard(index, at: time, into: &events)
        let test = isTest(index, selfTest: reading.selfTest, at: time, panic: reading.channel.kind == .button)
        if reading.channel.kind == .button {
            if case .event = reading.value {
                panicPressed(index, reading: reading, test: test, at: time, into: &events)
            }
            return events
        }
        if devices[index].monitors[reading.channel] == nil {
            guard let created = Self.faultMonitor(reading.channel, campus.devices[index]) else { return events }
            devices[index].monitors[reading.channel] = created
        }
        // Updated in place: copying the monitor out and back would copy its arrays on every reading.
        let changed = devices[index].monitors[reading.channel]!.update(reading.value, at: time)
        let monitor = devices[index].monitors[reading.channel]!
        let key = ConditionKey(device: index, channel: reading.channel)
        if changed || (monitor.signal.active && conditions[key]?.test != test) {
            conditionChanged(key, monitor: monitor, value: reading.value, test: test, at: time, into: &events)
        } else if monitor.signal.active {
            conditions[key]?.lastActive = time
            conditions[key]?.value = reading.value
        }
        return events
    }

    /// A link went online or offline: a Zigbee2MQTT bridge, or a Modbus bus (`modbus:<bus id>`).
    public mutating func bridge(_ state: BridgeState, at time: Instant) -> [Event] {
        var events: [Event] = []
        if state.online {
            bridgeOnline(state.bridge, at: time, into: &events)
        } else {
            bridgeOffline(state.bridge, at: time, into: &events)
        }
        return events
    }

    // MARK: - Time

    /// Runs every timer due at or before `now`.
    public mutating func tick(now: Instant) -> [Event] {
        var events: [Event] = []
        for index in devices.indices {
            // Most ticks find nothing due: look first, sort (for a stable event order) only what is.
            var due: [ChannelID] = []
            for (channel, monitor) in devices[index].monitors {
                if let d = monitor.nextDeadline, d <= now { due.append(channel) }
            }
            guard !due.isEmpty else { continue }
            for channel in due.sorted() where devices[index].monitors[channel]!.tick(now: now) {
                let monitor = devices[index].monitors[channel]!
                let key = ConditionKey(device: index, channel: channel)
                let value = devices[index].lastValues[channel]?.value ?? .bool(true)
                let test = conditions[key]?.test ?? isTest(index, selfTest: false, at: now, panic: false)
                conditionChanged(key, monitor: monitor, value: value, test: test, at: now, into: &events)
            }
        }
        verifySmokeAlarms(now: now, into: &events)
        superviseDevices(now: now, into: &events)
        return events
    }

    /// The earliest instant at which `tick` has something to do; nil when nothing is pending.
    public var nextDeadline: Instant? {
        var best: Instant? = nil
        func consider(_ d: Instant?) {
            if let d, best == nil || d < best! { best = d }
        }
        for index in devices.indices {
            for m in devices[index].monitors.values { consider(m.nextDeadline) }
            consider(supervisionDeadline(index))
            consider(devices[index].pendingUntil)
        }
        for a in alarms.values { consider(a.verificationDeadline) }
        return best
    }

    /// A fault reported on a point the profile lists no `fault` channel for (a Modbus sentinel
    /// value, a NaN float) still counts: every sensor fault is a `device_fault`.
    static func faultMonitor(_ channel: ChannelID, _ device: CampusDevice) -> ChannelMonitor? {
        guard channel.kind == .fault else { return nil }
        let spec = device.thresholds[channel] ?? device.thresholds[ChannelID(.fault)] ?? ThresholdSpec()
        return ChannelMonitor(kind: spec.kind ?? .deviceFault, spec: spec)
    }

    // MARK: - Shared helpers

    mutating func newAlarmID(at time: Instant) -> String {
        defer { nextSequence += 1 }
        let stamp = RFC3339.format(Instant(millisecondsSinceEpoch: time.millisecondsSinceEpoch / 1000 * 1000))
            .filter { $0 != "-" && $0 != ":" }
        return "\(stamp)-\(nextSequence)"
    }

    func isTest(_ index: Int, selfTest: Bool, at time: Instant, panic: Bool) -> Bool {
        if selfTest { return true }
        if let until = devices[index].maintenanceUntil, time < until { return true }
        if let drill, drill.covers(campus.devices[index], panic: panic) { return true }
        return false
    }

    func event(_ type: EventType, _ alarm: Alarm, at time: Instant, reason: String? = nil) -> Event {
        Event(
            timestamp: time,
            type: type,
            alarm: alarm.id,
            kind: alarm.kind,
            severity: alarm.severity,
            devices: alarm.devices,
            location: alarm.location,
            test: alarm.test,
            reason: reason
        )
    }
}

/// A channel's alarm condition as correlation sees it.
struct ConditionKey: Hashable {
    var device: Int
    var channel: ChannelID
}

struct Condition {
    var kind: AlarmKind
    var severity: Severity
    var active: Bool
    var lastActive: Instant
    var value: ReadingValue
    var test: Bool
    var reason: String
    /// A person resolved the alarm it belonged to: it no longer confirms anything.
    var consumed = false
}

/// The engine's runtime view of one device.
struct DeviceState {
    var monitors: [ChannelID: ChannelMonitor] = [:]
    var lastValues: [ChannelID: (value: ReadingValue, at: Instant)] = [:]
    var lastSeen: Instant
    let supervisionTimeout: Interval?
    /// Offline: silent past its timeout, or its availability said offline.
    var offlineSince: Instant?
    var offlineReason: String?
    /// Waiting to see whether others of the building go silent too.
    var pendingUntil: Instant?
    /// The fault that covers it while offline: its own, its building's, or its bridge's.
    var offlineFault: String?
    var maintenanceUntil: Instant?

    init(device: CampusDevice, startedAt: Instant) {
        lastSeen = startedAt
        // A disabled device is not supervised: its silence is expected.
        supervisionTimeout = device.config.enabled ? device.profile.supervisionTimeout : nil
        for (channel, decoding) in device.profile.channels where decoding.type != .event {
            let spec = device.thresholds[channel] ?? ThresholdSpec()
            guard let kind = spec.kind ?? channel.kind.defaultAlarmKind else { continue }
            if decoding.type == .number && spec.levels.isEmpty && spec.rateOfRise == nil { continue }
            monitors[channel] = ChannelMonitor(kind: kind, spec: spec)
        }
    }
}

/// A link (a Zigbee2MQTT bridge, a Modbus bus) and the devices behind it.
struct BridgeStatus {
    var devices: [Int] = []
    var fault: String?
    /// `bridge_offline` or `bus_offline`.
    var reason = "bridge_offline"
}
