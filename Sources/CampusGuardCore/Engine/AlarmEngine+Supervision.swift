/// Supervision: silent or unavailable devices become faults, grouped by root cause so that a
/// building or a Zigbee2MQTT bridge going down is one fault, not a storm.
extension AlarmEngine {
    func supervisionDeadline(_ index: Int) -> Instant? {
        guard let timeout = devices[index].supervisionTimeout, devices[index].offlineSince == nil else { return nil }
        return devices[index].lastSeen + timeout
    }

    mutating func superviseDevices(now: Instant, into events: inout [Event]) {
        for index in devices.indices {
            if let deadline = supervisionDeadline(index), deadline <= now {
                markOffline(index, since: deadline, reason: "silent")
            }
        }
        raisePendingFaults(now: now, into: &events)
    }

    /// The device is not reachable from `since`; its fault waits a little for others of its building.
    mutating func markOffline(_ index: Int, since: Instant, reason: String) {
        devices[index].offlineSince = since
        devices[index].offlineReason = reason
        let building = campus.devices[index].building.id
        if let id = openByGroup[buildingGroup(building)], var alarm = alarms[id] {
            alarm.devices.append(campus.devices[index].id)
            alarms[id] = alarm
            devices[index].offlineFault = id
        } else {
            devices[index].pendingUntil = since + settings.faultGroupingDelay
        }
    }

    func buildingGroup(_ building: String) -> AlarmGroup {
        AlarmGroup(scope: .building(building), family: .offline, test: false)
    }

    mutating func raisePendingFaults(now: Instant, into events: inout [Event]) {
        var pendingByBuilding: [String: [Int]] = [:]
        for index in devices.indices where devices[index].pendingUntil != nil {
            pendingByBuilding[campus.devices[index].building.id, default: []].append(index)
        }
        for building in pendingByBuilding.keys.sorted() {
            let pending = pendingByBuilding[building]!
            let members = campus.devices.filter { $0.building.id == building }
            let supervised = members.filter {
                $0.config.enabled && (devices[$0.index].supervisionTimeout != nil || $0.availabilityTopic != nil)
            }
            let offline = members.filter { d in
                devices[d.index].offlineSince != nil && !isCoveredByBridge(d.index)
            }
            if offline.count >= settings.buildingFaultMinimumDevices,
                Double(offline.count) >= settings.buildingFaultFraction * Double(supervised.count)
            {
                let since = pending.compactMap { devices[$0].offlineSince }.min() ?? now
                let at = max(since, min(now, pending.compactMap { devices[$0].pendingUntil }.min() ?? now))
                let alarm = Alarm(
                    id: newAlarmID(at: at),
                    kind: .deviceFault,
                    severity: .minor,
                    location: building,
                    devices: offline.map(\.id),
                    test: false,
                    raisedAt: at,
                    reason: "building_offline",
                    group: buildingGroup(building)
                )
                open(alarm)
                for i in pending {
                    devices[i].pendingUntil = nil
                    devices[i].offlineFault = alarm.id
                }
                events.append(event(.faultRaised, alarm, at: at, reason: alarm.reason))
                continue
            }
            for i in pending {
                guard let until = devices[i].pendingUntil, until <= now else { continue }
                let device = campus.devices[i]
                let alarm = Alarm(
                    id: newAlarmID(at: until),
                    kind: .deviceFault,
                    severity: .minor,
                    location: device.location.description,
                    devices: [device.id],
                    test: isTest(i, selfTest: false, at: until, panic: false),
                    raisedAt: until,
                    reason: devices[i].offlineReason ?? "silent",
                    group: AlarmGroup(scope: .device(i), family: .offline, test: false)
                )
                open(alarm)
                devices[i].pendingUntil = nil
                devices[i].offlineFault = alarm.id
                events.append(event(.faultRaised, alarm, at: until, reason: alarm.reason))
            }
        }
    }

    func isCoveredByBridge(_ index: Int) -> Bool {
        guard let b = campus.devices[index].link, let fault = bridges[b]?.fault else { return false }
        return devices[index].offlineFault == fault
    }

    /// Any message from the device: it is reachable; its offline fault, if any, clears.
    mutating func deviceHeard(_ index: Int, at time: Instant, into events: inout [Event]) {
        if time > devices[index].lastSeen { devices[index].lastSeen = time }
        if openBridgeFaults > 0, let b = campus.devices[index].link, bridges[b]?.fault != nil {
            // A device's own message proves its bridge or bus is working again.
            bridgeOnline(b, at: time, into: &events)
        }
        guard devices[index].offlineSince != nil else { return }
        deviceBack(index, at: time, into: &events)
    }

    mutating func deviceBack(_ index: Int, at time: Instant, into events: inout [Event]) {
        devices[index].offlineSince = nil
        devices[index].offlineReason = nil
        devices[index].pendingUntil = nil
        let fault = devices[index].offlineFault
        devices[index].offlineFault = nil
        let deviceID = campus.devices[index].id
        if let id = fault, let alarm = alarms[id], alarm.group.scope == .device(index) {
            var cleared = alarm
            cleared.clearedAt = time
            events.append(event(.faultCleared, cleared, at: time))
            close(alarm)
        }
        // Leave the building's fault; it clears when its last device is back.
        let building = campus.devices[index].building.id
        if let id = openByGroup[buildingGroup(building)], var alarm = alarms[id],
            let k = alarm.devices.firstIndex(of: deviceID)
        {
            alarm.devices.remove(at: k)
            if alarm.devices.isEmpty {
                alarm.devices = [deviceID]
                alarm.clearedAt = time
                events.append(event(.faultCleared, alarm, at: time))
                close(alarm)
            } else {
                alarms[id] = alarm
            }
        }
    }

    /// Availability said offline (Zigbee2MQTT's own timeout, a Tasmota LWT), or the Modbus
    /// poller lost contact with the device (`comms_lost`).
    mutating func deviceUnavailable(_ index: Int, reason: String, at time: Instant, into events: inout [Event]) {
        guard devices[index].offlineSince == nil else { return }
        markOffline(index, since: time, reason: reason)
    }

    mutating func bridgeOffline(_ bridge: String, at time: Instant, into events: inout [Event]) {
        guard var status = bridges[bridge], status.fault == nil else { return }
        let members = status.devices.map { campus.devices[$0] }
        let alarm = Alarm(
            id: newAlarmID(at: time),
            kind: .deviceFault,
            severity: .minor,
            location: Self.commonLocation(members.map(\.location), site: campus.config.site.id),
            devices: members.map(\.id),
            test: false,
            raisedAt: time,
            reason: status.reason,
            group: AlarmGroup(scope: .bridge(bridge), family: .offline, test: false)
        )
        open(alarm)
        status.fault = alarm.id
        bridges[bridge] = status
        openBridgeFaults += 1
        for i in status.devices where devices[i].offlineSince == nil || devices[i].pendingUntil != nil {
            devices[i].pendingUntil = nil
            devices[i].offlineSince = devices[i].offlineSince ?? time
            devices[i].offlineReason = status.reason
            devices[i].offlineFault = alarm.id
        }
        events.append(event(.faultRaised, alarm, at: time, reason: alarm.reason))
    }

    mutating func bridgeOnline(_ bridge: String, at time: Instant, into events: inout [Event]) {
        guard var status = bridges[bridge], let id = status.fault, var alarm = alarms[id] else { return }
        status.fault = nil
        bridges[bridge] = status
        openBridgeFaults -= 1
        for i in status.devices where devices[i].offlineFault == id {
            devices[i].offlineSince = nil
            devices[i].offlineReason = nil
            devices[i].offlineFault = nil
            // Their silence was the bridge's: supervision starts again from now.
            devices[i].lastSeen = max(devices[i].lastSeen, time)
        }
        alarm.clearedAt = time
        events.append(event(.faultCleared, alarm, at: time))
        close(alarm)
    }

    /// The longest `BUILDING/FLOOR/ROOM` prefix the locations share, or the site id when none.
    static func commonLocation(_ locations: [LocationPath], site: String) -> String {
        guard let first = locations.first else { return site }
        let parts = [first.building, first.floor, first.room]
        var shared = 3
        for l in locations.dropFirst() {
            let other = [l.building, l.floor, l.room]
            var k = 0
            while k < shared && parts[k] == other[k] { k += 1 }
            shared = k
        }
        return shared == 0 ? site : parts[..<shared].joined(separator: "/")
    }
}
