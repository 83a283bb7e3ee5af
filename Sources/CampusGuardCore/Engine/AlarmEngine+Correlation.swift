/// What a group's conditions say together: the alarm they amount to right now.
struct Evidence {
    var kind: AlarmKind
    var severity: Severity
    var reason: String
    var devices: [String]
    var values: [EventValue]
    /// Some condition holds now (not only recently).
    var active: Bool
}

extension AlarmEngine {
    // MARK: - Conditions

    mutating func conditionChanged(
        _ key: ConditionKey,
        monitor: ChannelMonitor,
        value: ReadingValue,
        test: Bool,
        at time: Instant,
        into events: inout [Event]
    ) {
        let signal = monitor.signal
        let previousTest = conditions[key]?.test
        var c =
            conditions[key]
            ?? Condition(
                kind: monitor.kind,
                severity: signal.severity,
                active: false,
                lastActive: time,
                value: value,
                test: test,
                reason: signal.reason
            )
        if signal.active {
            c.severity = signal.severity
            c.reason = signal.reason
            c.lastActive = time
            if !c.active { c.consumed = false }
        }
        c.active = signal.active
        c.value = value
        c.test = test
        conditions[key] = c
        let family = AlarmGroup.family(of: monitor.kind)
        let device = campus.devices[key.device]
        if AlarmGroup.isRoomWide(family) {
            roomConditions[device.location, default: []].insert(key)
            if let previousTest, previousTest != test {
                evaluateRoom(device.location, test: previousTest, at: time, into: &events)
            }
            evaluateRoom(device.location, test: test, at: time, into: &events)
        } else {
            if let previousTest, previousTest != test {
                evaluateDevice(key.device, family: family, test: previousTest, at: time, into: &events)
            }
            evaluateDevice(key.device, family: family, test: test, at: time, into: &events)
        }
    }

    /// Re-judges every room-wide family of a room: electrical first, since gas depends on it.
    mutating func evaluateRoom(_ room: LocationPath, test: Bool, at time: Instant, into events: inout [Event]) {
        for family in [AlarmGroup.Family.electrical, .gas, .fire] {
            let group = AlarmGroup(scope: .room(room), family: family, test: test)
            let signals = roomSignals(room, family: family, test: test, at: time)
            guard let evidence = roomEvidence(room, family: family, test: test, signals: signals, at: time) else {
                continue
            }
            apply(group, evidence, location: room.description, at: time, into: &events)
        }
    }

    /// Conditions of one family in a room that hold now or held within the correlation window.
    func roomSignals(
        _ room: LocationPath,
        family: AlarmGroup.Family,
        test: Bool,
        at time: Instant
    )
        -> [(key: ConditionKey, condition: Condition)]
    {
        var out: [(key: ConditionKey, condition: Condition)] = []
        for key in roomConditions[room] ?? [] {
            guard let c = conditions[key], c.test == test, !c.consumed, AlarmGroup.family(of: c.kind) == family else {
                continue
            }
            if c.active || time - c.lastActive <= settings.correlationWindow { out.append((key, c)) }
        }
        return out.sorted { ($0.key.device, $0.key.channel) < ($1.key.device, $1.key.channel) }
    }

    private func roomEvidence(
        _ room: LocationPath,
        family: AlarmGroup.Family,
        test: Bool,
        signals: [(key: ConditionKey, condition: Condition)],
        at time: Instant
    ) -> Evidence? {
        guard !signals.isEmpty else {
            let group = AlarmGroup(scope: .room(room), family: family, test: test)
            guard let id = openByGroup[group], let alarm = alarms[id] else { return nil }
            return Evidence(
                kind: alarm.kind,
                severity: alarm.severity,
                reason: alarm.reason,
                devices: [],
                values: [],
                active: false
            )
        }
        let active = signals.filter { $0.condition.active }
        var severity = active.map(\.condition.severity).max() ?? signals.map(\.condition.severity).max()!
        var devices: [String] = []
        for s in signals where !devices.contains(campus.devices[s.key.device].id) {
            devices.append(campus.devices[s.key.device].id)
        }
        let values = signals.map {
            EventValue(device: campus.devices[$0.key.device].id, channel: $0.key.channel, value: $0.condition.value)
        }
        var kind = signals[0].condition.kind
        var reason = (active.first ?? signals[0]).condition.reason
        switch family {
        case .fire:
            let smoke = Set(signals.filter { $0.condition.kind == .smoke }.map(\.key.device))
            let heat = Set(signals.filter { $0.condition.kind == .overheat }.map(\.key.device))
            if smoke.count >= 2 {
                (kind, reason) = (.fire, "two_smoke_detectors")
            } else if !smoke.isEmpty && !heat.subtracting(smoke).isEmpty {
                (kind, reason) = (.fire, "smoke_and_heat")
            } else if !smoke.isEmpty {
                kind = .smoke
            } else {
                kind = .overheat
            }
            if kind == .fire { severity = .critical }
        case .gas:
            let electrical = roomSignals(room, family: .electrical, test: test, at: time)
            if !electrical.isEmpty && !active.isEmpty {
                severity = .critical
                reason = "gas_and_electrical"
            }
        default:
            break
        }
        return Evidence(
            kind: kind,
            severity: severity,
            reason: reason,
            devices: devices,
            values: values,
            active: !active.isEmpty
        )
    }

    /// Re-judges a family that belongs to one device (tamper, battery, sensor fault).
    mutating func evaluateDevice(
        _ index: Int,
        family: AlarmGroup.Family,
        test: Bool,
        at time: Instant,
        into events: inout [Event]
    ) {
        let device = campus.devices[index]
        var signals: [(key: ConditionKey, condition: Condition)] = []
        for channel in devices[index].monitors.keys.sorted() {
            let key = ConditionKey(device: index, channel: channel)
            if let c = conditions[key], c.test == test, AlarmGroup.family(of: c.kind) == family {
                signals.append((key, c))
            }
        }
        guard let first = signals.first else { return }
        let active = signals.filter { $0.condition.active }
        let evidence = Evidence(
            kind: first.condition.kind,
            severity: active.map(\.condition.severity).max() ?? first.condition.severity,
            reason: (active.first ?? first).condition.reason,
            devices: [device.id],
            values: active.map { EventValue(device: device.id, channel: $0.key.channel, value: $0.condition.value) },
            active: !active.isEmpty
        )
        apply(
            AlarmGroup(scope: .device(index), family: family, test: test),
            evidence,
            location: device.location.description,
            at: time,
            into: &events
        )
    }

    // MARK: - Alarms from evidence

    /// Raises, updates or clears the open alarm of a group so that it matches the evidence.
    mutating func apply(
        _ group: AlarmGroup,
        _ evidence: Evidence,
        location: String,
        at time: Instant,
        into events: inout [Event]
    ) {
        guard let id = openByGroup[group], var alarm = alarms[id] else {
            guard evidence.active else { return }
            var alarm = Alarm(
                id: newAlarmID(at: time),
                kind: evidence.kind,
                severity: evidence.severity,
                location: location,
                devices: evidence.devices,
                test: group.test,
                raisedAt: time,
                reason: evidence.reason,
                group: group
            )
            if alarm.kind == .smoke { alarm.verificationDeadline = time + settings.smokeAcknowledgeWithin }
            open(alarm)
            var e = event(alarm.kind.isFault ? .faultRaised : .alarmRaised, alarm, at: time, reason: evidence.reason)
            e.values = evidence.values
            events.append(e)
            return
        }
        var reason: String? = nil
        var previousKind: AlarmKind? = nil
        for d in evidence.devices where !alarm.devices.contains(d) {
            alarm.devices.append(d)
            reason = "device_joined"
        }
        if Self.rank(evidence.kind) > Self.rank(alarm.kind) {
            previousKind = alarm.kind
            alarm.kind = evidence.kind
            reason = evidence.reason
            if alarm.kind != .smoke { alarm.verificationDeadline = nil }
        }
        if evidence.severity > alarm.severity {
            alarm.severity = evidence.severity
            reason = previousKind == nil ? evidence.reason : reason
        }
        if evidence.active && alarm.clearedAt != nil {
            alarm.clearedAt = nil
            reason = reason ?? "condition_returned"
        }
        if let reason {
            alarm.reason = reason
            var e = event(.alarmUpdated, alarm, at: time, reason: reason)
            e.previousKind = previousKind
            e.values = evidence.values
            events.append(e)
        }
        if !evidence.active && alarm.clearedAt == nil {
            alarm.clearedAt = time
            events.append(event(alarm.kind.isFault ? .faultCleared : .alarmCleared, alarm, at: time))
            if !alarm.kind.latches {
                close(alarm)
                return
            }
        }
        alarms[id] = alarm
    }

    /// Within the fire family a confirmed fire outranks smoke, and smoke outranks heat alone.
    static func rank(_ kind: AlarmKind) -> Int {
        switch kind {
        case .fire: 2
        case .smoke: 1
        default: 0
        }
    }

    mutating func open(_ alarm: Alarm) {
        alarms[alarm.id] = alarm
        openByGroup[alarm.group] = alarm.id
    }

    mutating func close(_ alarm: Alarm) {
        alarms[alarm.id] = nil
        if openByGroup[alarm.group] == alarm.id { openByGroup[alarm.group] = nil }
    }

    // MARK: - Panic and smoke verification

    /// A one-key alarm: raised at once, critical, latched until a person resolves it.
    mutating func panicPressed(_ index: Int, reading: Reading, test: Bool, at time: Instant, into events: inout [Event])
    {
        let device = campus.devices[index]
        let group = AlarmGroup(scope: .device(index), family: .panic, test: test)
        let value = EventValue(device: device.id, channel: reading.channel, value: reading.value)
        if let id = openByGroup[group], var alarm = alarms[id] {
            alarm.presses += 1
            alarms[id] = alarm
            // Pressed again after someone answered: the person is still in danger.
            if alarm.acknowledgedAt != nil {
                var e = event(.alarmUpdated, alarm, at: time, reason: "pressed_again")
                e.values = [value]
                events.append(e)
            }
            return
        }
        var alarm = Alarm(
            id: newAlarmID(at: time),
            kind: .panic,
            severity: .critical,
            location: device.location.description,
            devices: [device.id],
            test: test,
            raisedAt: time,
            reason: "press",
            group: group
        )
        alarm.presses = 1
        open(alarm)
        var e = event(.alarmRaised, alarm, at: time, reason: "press")
        e.values = [value]
        events.append(e)
    }

    /// A single smoke alarm nobody acknowledged (or resolved after acknowledging) in time is a fire.
    mutating func verifySmokeAlarms(now: Instant, into events: inout [Event]) {
        let due = alarms.values.filter { a in a.verificationDeadline.map { $0 <= now } ?? false }
            .sorted { ($0.verificationDeadline!, $0.id) < ($1.verificationDeadline!, $1.id) }
        for var alarm in due {
            let deadline = alarm.verificationDeadline!
            alarm.verificationDeadline = nil
            let previous = alarm.kind
            alarm.kind = .fire
            alarm.severity = .critical
            alarm.reason = alarm.acknowledgedAt == nil ? "not_acknowledged" : "not_resolved_in_time"
            alarms[alarm.id] = alarm
            var e = event(.alarmUpdated, alarm, at: deadline, reason: alarm.reason)
            e.previousKind = previous
            events.append(e)
        }
    }
}
