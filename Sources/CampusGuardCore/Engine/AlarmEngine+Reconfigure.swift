/// A config reload: the engine goes on under a new campus without dropping what it knows.
///
/// A device is kept when its id, profile and location are the same before and after; it
/// keeps its last values, last seen, offline state and fault, maintenance, and the state of
/// every channel monitor whose limits did not change. A device whose profile or location
/// changed is replaced: it starts afresh like an added one. Open alarms, acknowledgements,
/// latches, smoke verification and the drill go on. Events already judged stay judged.
extension AlarmEngine {
    /// Switches to `newCampus` at `time`; returns the events the switch caused.
    ///
    /// - A channel whose limits changed gets a new monitor seeded from the old one and the
    ///   last value: a lowered limit raises at once on the last value; a raised limit lets an
    ///   active condition clear through its hysteresis on the next reading.
    /// - A removed device's open alarms stay open until a person resolves them; its own
    ///   offline fault, and a building's or a link's fault left with no kept device, clear
    ///   (`fault.cleared`, reason `device_removed`): nothing supervises those devices any more.
    public mutating func reconfigure(_ newCampus: Campus, at time: Instant) -> [Event] {
        let map = Self.keptDevices(from: campus, to: newCampus)
        let kept = Set(map.keys.map { campus.devices[$0].id })
        var states = newCampus.devices.map { DeviceState(device: $0, startedAt: time) }
        var previousMonitors: [Int: [ChannelID: ChannelMonitor]] = [:]
        for (o, n) in map {
            let old = devices[o]
            previousMonitors[n] = old.monitors
            states[n].lastValues = old.lastValues
            states[n].lastSeen = old.lastSeen
            states[n].offlineSince = old.offlineSince
            states[n].offlineReason = old.offlineReason
            states[n].pendingUntil = old.pendingUntil
            states[n].offlineFault = old.offlineFault
            states[n].maintenanceUntil = old.maintenanceUntil
            for (channel, monitor) in old.monitors {
                let next = states[n].monitors[channel] ?? Self.faultMonitor(channel, newCampus.devices[n])
                if let next, next.kind == monitor.kind, next.spec == monitor.spec {
                    states[n].monitors[channel] = monitor
                }
            }
        }
        var newConditions: [ConditionKey: Condition] = [:]
        for (key, c) in conditions {
            if let n = map[key.device] { newConditions[ConditionKey(device: n, channel: key.channel)] = c }
        }
        var newRooms: [LocationPath: Set<ConditionKey>] = [:]
        for (room, keys) in roomConditions {
            let moved = Set(keys.compactMap { k in map[k.device].map { ConditionKey(device: $0, channel: k.channel) } })
            if !moved.isEmpty { newRooms[room] = moved }
        }
        var newBridges: [String: BridgeStatus] = [:]
        for d in newCampus.devices {
            guard let link = d.link else { continue }
            newBridges[link, default: BridgeStatus()].devices.append(d.index)
            newBridges[link]?.reason = d.bridge == nil ? "bus_offline" : "bridge_offline"
        }
        var events: [Event] = []
        var newAlarms: [String: Alarm] = [:]
        var cleared: Set<String> = []
        for var alarm in openAlarms {
            switch alarm.group.scope {
            case .device(let o):
                if let n = map[o] {
                    alarm.group.scope = .device(n)
                } else if alarm.group.family == .offline {
                    cleared.insert(alarm.id)
                } else {
                    // Still open until a person resolves it, in a scope of its own.
                    alarm.group.scope = .building("removed:" + alarm.id)
                }
            case .building(let b) where alarm.group.family == .offline && alarm.reason == "building_offline":
                alarm.devices = alarm.devices.filter { kept.contains($0) }
                if alarm.devices.isEmpty || newCampus.devices.allSatisfy({ $0.building.id != b }) {
                    cleared.insert(alarm.id)
                }
            case .bridge(let link) where !link.hasPrefix("link:"):
                if let fault = bridges[link]?.fault, fault == alarm.id, newBridges[link] != nil,
                    newBridges[link]!.devices.contains(where: { kept.contains(newCampus.devices[$0].id) })
                {
                    newBridges[link]?.fault = alarm.id
                } else {
                    cleared.insert(alarm.id)
                }
            default:
                break
            }
            if cleared.contains(alarm.id) {
                alarm.clearedAt = time
                events.append(event(.faultCleared, alarm, at: time, reason: "device_removed"))
            } else {
                newAlarms[alarm.id] = alarm
            }
        }
        var newOpen: [AlarmGroup: String] = [:]
        for (_, id) in openByGroup {
            if let alarm = newAlarms[id] { newOpen[alarm.group] = id }
        }
        for n in states.indices {
            if let fault = states[n].offlineFault, cleared.contains(fault) {
                // Its fault went with the devices removed: supervision starts again from now.
                states[n].offlineSince = nil
                states[n].offlineReason = nil
                states[n].offlineFault = nil
                states[n].lastSeen = max(states[n].lastSeen, time)
            }
        }
        campus = newCampus
        devices = states
        conditions = newConditions
        roomConditions = newRooms
        bridges = newBridges
        openBridgeFaults = newBridges.values.filter { $0.fault != nil }.count
        alarms = newAlarms
        openByGroup = newOpen
        for n in previousMonitors.keys.sorted() {
            rejudgeChangedChannels(n, previous: previousMonitors[n]!, at: time, into: &events)
        }
        return events
    }

    /// Old index → new index of the devices kept: same id, profile and location.
    static func keptDevices(from old: Campus, to new: Campus) -> [Int: Int] {
        var map: [Int: Int] = [:]
        for d in old.devices {
            guard let n = new.deviceIndex[d.id] else { continue }
            let next = new.devices[n]
            if next.config.profile == d.config.profile && next.location == d.location { map[d.index] = n }
        }
        return map
    }

    /// Judges again, on the last value, each channel of a kept device whose limits changed.
    private mutating func rejudgeChangedChannels(
        _ index: Int,
        previous: [ChannelID: ChannelMonitor],
        at time: Instant,
        into events: inout [Event]
    ) {
        let channels = Set(previous.keys).union(devices[index].monitors.keys).sorted()
        for channel in channels {
            let old = previous[channel]
            let current = devices[index].monitors[channel]
            if let old, let current, old.kind == current.kind, old.spec == current.spec { continue }
            let key = ConditionKey(device: index, channel: channel)
            let last = devices[index].lastValues[channel]?.value
            let test = conditions[key]?.test ?? isTest(index, selfTest: false, at: time, panic: false)
            if let current {
                let next = ChannelMonitor(kind: current.kind, spec: current.spec, continuing: old, last: last, at: time)
                devices[index].monitors[channel] = next
                if next.signal != (old?.signal ?? .inactive) {
                    conditionChanged(
                        key,
                        monitor: next,
                        value: last ?? .bool(true),
                        test: test,
                        at: time,
                        into: &events
                    )
                }
            } else if let old, old.signal.active {
                // No limit any more: the channel's condition ends.
                let ended = ChannelMonitor(kind: old.kind, spec: ThresholdSpec())
                conditionChanged(key, monitor: ended, value: last ?? .bool(false), test: test, at: time, into: &events)
            }
        }
    }
}
