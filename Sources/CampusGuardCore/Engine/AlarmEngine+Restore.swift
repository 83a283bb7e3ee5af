/// An alarm or fault that was open when the daemon stopped, as its events tell it: what a
/// restarted engine needs so that a latched panic or fire alarm stays open until a person
/// resolves it, and an acknowledgement is not asked for twice.
public struct OpenAlarmRecord: Sendable, Hashable {
    public var id: String
    public var kind: AlarmKind
    public var severity: Severity
    public var location: String
    public var devices: [String]
    public var test: Bool
    public var raisedAt: Instant
    public var reason: String
    public var acknowledgedAt: Instant?
    public var acknowledgedBy: String?
    public var clearedAt: Instant?

    public init(
        id: String,
        kind: AlarmKind,
        severity: Severity,
        location: String,
        devices: [String],
        test: Bool,
        raisedAt: Instant,
        reason: String
    ) {
        self.id = id
        self.kind = kind
        self.severity = severity
        self.location = location
        self.devices = devices
        self.test = test
        self.raisedAt = raisedAt
        self.reason = reason
    }

    /// Folds events in order into the alarms still open after them.
    public static func open(from events: [Event]) -> [OpenAlarmRecord] {
        var open: [String: OpenAlarmRecord] = [:]
        var order: [String] = []
        for e in events {
            guard let id = e.alarm else { continue }
            switch e.type {
            case .alarmRaised, .faultRaised:
                if open[id] == nil { order.append(id) }
                open[id] = OpenAlarmRecord(
                    id: id,
                    kind: e.kind,
                    severity: e.severity,
                    location: e.location,
                    devices: e.devices,
                    test: e.test,
                    raisedAt: e.timestamp,
                    reason: e.reason ?? ""
                )
            case .alarmUpdated:
                open[id]?.kind = e.kind
                open[id]?.severity = e.severity
                if !e.devices.isEmpty { open[id]?.devices = e.devices }
                if let reason = e.reason { open[id]?.reason = reason }
                open[id]?.clearedAt = nil
            case .alarmAcknowledged:
                open[id]?.acknowledgedAt = e.timestamp
                open[id]?.acknowledgedBy = e.by
            case .alarmCleared:
                if open[id]?.kind.latches == true {
                    open[id]?.clearedAt = e.timestamp
                } else {
                    open[id] = nil
                }
            case .alarmResolved, .faultCleared:
                open[id] = nil
            case .alarmEscalated, .deliveryPlanned, .deliverySent, .deliveryFailed:
                break
            }
        }
        return order.compactMap { open[$0] }
    }
}

extension AlarmEngine {
    /// Reasons of offline faults: the device, its building or its link cannot be heard.
    static let offlineReasons: Set<String> = [
        "silent", "unavailable", "comms_lost", "building_offline", "bridge_offline", "bus_offline",
        AlarmEngine.policeLinkDown,
    ]

    /// Puts back the alarms that were open when the daemon stopped (from the store's events),
    /// before any new reading. Devices no longer in the config drop out of an alarm; an alarm
    /// left with none of its devices is restored all the same when it latches (a person must
    /// still resolve it) and dropped otherwise.
    public mutating func restore(_ records: [OpenAlarmRecord]) {
        for r in records where alarms[r.id] == nil {
            let indices = r.devices.compactMap { campus.deviceIndex[$0] }
            guard let group = restoredGroup(r, indices: indices) else { continue }
            var alarm = Alarm(
                id: r.id,
                kind: r.kind,
                severity: r.severity,
                location: r.location,
                devices: r.devices,
                test: r.test,
                raisedAt: r.raisedAt,
                reason: r.reason,
                group: group
            )
            alarm.acknowledgedAt = r.acknowledgedAt
            alarm.acknowledgedBy = r.acknowledgedBy
            alarm.clearedAt = r.clearedAt
            if r.kind == .smoke && r.clearedAt == nil {
                // Verification goes on where it was: a window that ran out while the daemon was
                // down makes the alarm a fire at the first tick.
                if let acknowledged = r.acknowledgedAt {
                    let investigate = settings.smokeInvestigateWithin
                    alarm.verificationDeadline = investigate.milliseconds > 0 ? acknowledged + investigate : nil
                } else {
                    alarm.verificationDeadline = r.raisedAt + settings.smokeAcknowledgeWithin
                }
            }
            open(alarm)
            guard group.family == .offline else { continue }
            if case .bridge(let link) = group.scope, bridges[link] != nil {
                bridges[link]?.fault = r.id
                openBridgeFaults += 1
            }
            for i in indices {
                devices[i].offlineSince = r.raisedAt
                devices[i].offlineReason = r.reason
                devices[i].offlineFault = r.id
            }
        }
    }

    private func restoredGroup(_ r: OpenAlarmRecord, indices: [Int]) -> AlarmGroup? {
        let family: AlarmGroup.Family =
            r.kind == .deviceFault && Self.offlineReasons.contains(r.reason) ? .offline : AlarmGroup.family(of: r.kind)
        if family == .offline {
            switch r.reason {
            case Self.policeLinkDown:
                return AlarmGroup(scope: .bridge("link:police-link"), family: .offline, test: false)
            case "building_offline":
                return AlarmGroup(scope: .building(r.location), family: .offline, test: false)
            case "bridge_offline", "bus_offline":
                guard let first = indices.first, let link = campus.devices[first].link else { return nil }
                return AlarmGroup(scope: .bridge(link), family: .offline, test: false)
            default:
                guard let first = indices.first else { return nil }
                return AlarmGroup(scope: .device(first), family: .offline, test: false)
            }
        }
        if AlarmGroup.isRoomWide(family), let room = LocationPath(r.location) {
            return AlarmGroup(scope: .room(room), family: family, test: r.test)
        }
        if let first = indices.first {
            return AlarmGroup(scope: .device(first), family: family, test: r.test)
        }
        // A latched alarm whose devices left the config: still open, in a scope of its own.
        return r.kind.latches ? AlarmGroup(scope: .building("restored:" + r.id), family: family, test: r.test) : nil
    }
}
