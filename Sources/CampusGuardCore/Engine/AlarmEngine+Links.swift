/// The gateway's own outward links (the police link): a link that cannot reach its receiver is
/// a fault of the gateway, delivered to staff like any other, so that someone acts before an
/// alarm needs it.
extension AlarmEngine {
    /// The reason of a police link fault.
    public static let policeLinkDown = "police_link_down"

    /// A link of the gateway went down or came back; `name` is its id (`police-link`).
    public mutating func link(_ name: String, up: Bool, detail: String?, at time: Instant) -> [Event] {
        let group = AlarmGroup(scope: .bridge("link:" + name), family: .offline, test: false)
        if up {
            guard let id = openByGroup[group], var alarm = alarms[id] else { return [] }
            alarm.clearedAt = time
            close(alarm)
            return [event(.faultCleared, alarm, at: time)]
        }
        guard openByGroup[group] == nil else { return [] }
        let alarm = Alarm(
            id: newAlarmID(at: time),
            kind: .deviceFault,
            severity: .major,
            location: campus.config.site.id,
            devices: [],
            test: false,
            raisedAt: time,
            reason: name == "police-link" ? Self.policeLinkDown : name + "_down",
            group: group
        )
        open(alarm)
        var e = event(.faultRaised, alarm, at: time, reason: alarm.reason)
        e.note = detail
        return [e]
    }
}
