import CampusGuardCore

/// Events built in the test, at seconds from a fixed start: what a report is worked out from.
enum ReportEvents {
    static let start = Instant(secondsSinceEpoch: 1_795_000_000)

    static func at(_ seconds: Int64) -> Instant { start + .seconds(seconds) }

    static func event(
        _ type: EventType,
        _ alarm: String,
        at seconds: Int64,
        kind: AlarmKind = .smoke,
        devices: [String] = ["dev-1"],
        location: String = "dorm-a/3/301",
        test: Bool = false,
        reason: String? = nil,
        by: String? = nil,
        channel: String? = nil
    ) -> Event {
        var e = Event(
            timestamp: at(seconds),
            type: type,
            alarm: alarm,
            kind: kind,
            severity: kind == .fire ? .critical : (kind.isFault ? .minor : .major),
            devices: devices,
            location: location,
            test: test,
            reason: reason,
            by: by,
            channel: channel,
            tier: channel == nil ? nil : 1
        )
        if type == .alarmUpdated && kind == .fire { e.previousKind = .smoke }
        return e
    }

    /// An offline fault of `devices` from `raised` to `cleared` (open when nil).
    static func offline(
        _ alarm: String,
        _ devices: [String],
        from raised: Int64,
        to cleared: Int64?,
        reason: String = "silent"
    ) -> [Event] {
        var events = [
            event(.faultRaised, alarm, at: raised, kind: .deviceFault, devices: devices, reason: reason)
        ]
        if let cleared {
            events.append(event(.faultCleared, alarm, at: cleared, kind: .deviceFault, devices: devices))
        }
        return events
    }
}
