extension AlarmEngine {
    /// Every device's state and the open alarms at `now` (see `EngineBoard`). O(open alarms)
    /// here; the device snapshots are built later, by the board's first reader.
    public func board(at now: Instant) -> EngineBoard {
        EngineBoard(
            at: now,
            source: EngineBoard.Source(campus: campus, states: devices),
            openAlarms: openAlarms,
            drill: drill
        )
    }
}

extension EngineBoard {
    static func snapshots(_ source: Source, openAlarms: [Alarm], at now: Instant) -> [DeviceSnapshot] {
        var alarmsOf: [String: [Alarm]] = [:]
        for alarm in openAlarms {
            for device in alarm.devices { alarmsOf[device, default: []].append(alarm) }
        }
        var snapshots: [DeviceSnapshot] = []
        snapshots.reserveCapacity(source.states.count)
        for (index, state) in source.states.enumerated() {
            let device = source.campus.devices[index]
            let id = device.config.id
            let covering = alarmsOf[id] ?? []
            let maintenance = state.maintenanceUntil.flatMap { $0 > now ? $0 : nil }
            let status: DeviceStatus
            if !device.config.enabled {
                status = .disabled
            } else if maintenance != nil {
                status = .maintenance
            } else if covering.contains(where: { !$0.kind.isFault && $0.kind != .tamper }) {
                status = .alarm
            } else if state.offlineSince != nil {
                status = .offline
            } else if !covering.isEmpty {
                status = .fault
            } else {
                status = .ok
            }
            var values: [ChannelID: TimedValue] = [:]
            for (channel, last) in state.lastValues { values[channel] = TimedValue(value: last.value, at: last.at) }
            snapshots.append(
                DeviceSnapshot(
                    id: id,
                    status: status,
                    values: values,
                    lastSeen: state.lastValues.isEmpty ? nil : state.lastSeen,
                    offlineSince: state.offlineSince,
                    offlineReason: state.offlineSince == nil ? nil : state.offlineReason,
                    maintenanceUntil: maintenance,
                    openAlarms: covering.map(\.id)
                )
            )
        }
        return snapshots
    }
}
