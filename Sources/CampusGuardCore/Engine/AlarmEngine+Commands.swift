/// Why the engine refused a person's command.
public enum EngineError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownAlarm(String)
    case unknownDevice(String)
    /// Resolving while the condition still holds would hide a live hazard.
    case conditionStillPresent(String)
    /// One-key alarms can never be disabled (GB 50394-2007 5.2.3); test one instead.
    case panicButtonCannotBeDisabled(String)

    public var description: String {
        switch self {
        case .unknownAlarm(let id): "no open alarm \(id)"
        case .unknownDevice(let id): "no device \(id)"
        case .conditionStillPresent(let id):
            "alarm \(id): the condition is still present; acknowledge it and resolve once it has cleared"
        case .panicButtonCannotBeDisabled(let id):
            "device \(id) is a panic button and can never be put in maintenance; a press during a test is marked as a test"
        }
    }
}

extension AlarmEngine {
    /// A person has seen the alarm: escalation stops; a single smoke alarm now has the investigation time to be resolved.
    public mutating func acknowledge(_ id: String, by person: String, at time: Instant) throws(EngineError) -> [Event] {
        guard var alarm = alarms[id] else { throw .unknownAlarm(id) }
        guard alarm.acknowledgedAt == nil else { return [] }
        alarm.acknowledgedAt = time
        alarm.acknowledgedBy = person
        if alarm.kind == .smoke, alarm.verificationDeadline != nil {
            let investigate = settings.smokeInvestigateWithin
            alarm.verificationDeadline = investigate.milliseconds > 0 ? time + investigate : nil
        }
        alarms[id] = alarm
        var e = event(.alarmAcknowledged, alarm, at: time)
        e.by = person
        return [e]
    }

    /// A person closes the alarm, with a note. Refused while its condition still holds.
    public mutating func resolve(
        _ id: String,
        by person: String,
        note: String?,
        at time: Instant
    ) throws(EngineError) -> [Event] {
        guard let alarm = alarms[id] else { throw .unknownAlarm(id) }
        let keys = contributingConditions(alarm)
        if alarm.group.family == .offline || keys.contains(where: { conditions[$0]?.active == true }) {
            throw .conditionStillPresent(id)
        }
        for k in keys { conditions[k]?.consumed = true }
        close(alarm)
        var e = event(.alarmResolved, alarm, at: time)
        e.by = person
        e.note = note
        return [e]
    }

    private func contributingConditions(_ alarm: Alarm) -> [ConditionKey] {
        switch alarm.group.scope {
        case .room(let room):
            return (roomConditions[room] ?? []).filter { k in
                guard let c = conditions[k] else { return false }
                return c.test == alarm.test && AlarmGroup.family(of: c.kind) == alarm.group.family
            }
        case .device(let index):
            return devices[index].monitors.keys.map { ConditionKey(device: index, channel: $0) }.filter { k in
                guard let c = conditions[k] else { return false }
                return c.test == alarm.test && AlarmGroup.family(of: c.kind) == alarm.group.family
            }
        case .building, .bridge:
            return []
        }
    }

    /// Marks a device's events as tests until `until` (a technician at work). Never for panic buttons.
    public mutating func startMaintenance(device id: String, until: Instant) throws(EngineError) {
        guard let index = campus.deviceIndex[id] else { throw .unknownDevice(id) }
        guard !campus.devices[index].profile.isPanicButton else { throw .panicButtonCannotBeDisabled(id) }
        devices[index].maintenanceUntil = until
    }

    public mutating func endMaintenance(device id: String) throws(EngineError) {
        guard let index = campus.deviceIndex[id] else { throw .unknownDevice(id) }
        devices[index].maintenanceUntil = nil
    }

    public func maintenanceUntil(device id: String) -> Instant? {
        campus.deviceIndex[id].flatMap { devices[$0].maintenanceUntil }
    }

    public mutating func startDrill(_ drill: Drill) { self.drill = drill }

    public mutating func stopDrill() { drill = nil }

    public var activeDrill: Drill? { drill }
}
