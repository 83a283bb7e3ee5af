import CampusGuardCore

/// Turns the engine's events into the Contact ID events the police link sends, remembering
/// what each alarm reported so that its restore closes exactly what was opened.
///
/// - `alarm.raised`, `fault.raised`: new events (Q = 1), one per device (one per group, zone 000,
///   for a fault of a whole building, bridge or bus).
/// - `alarm.updated`: new events for what is new: smoke confirmed as fire (110), a device that
///   joined; what was already reported is not sent again.
/// - `alarm.cleared`, `fault.cleared`: restores (Q = 3) of non-latching kinds. Fire, smoke, gas
///   and panic latch: they are restored at `alarm.resolved`, when a person closed them.
/// - Tests, drills and devices in maintenance (`test`), acknowledgements, escalations and
///   deliveries: nothing. The police never get a test.
public struct ContactIDMapping: Sendable {
    public let addressing: ContactIDAddressing
    /// What each open alarm reported, by alarm id.
    private var open: [String: [ContactIDEvent]] = [:]

    public init(addressing: ContactIDAddressing) { self.addressing = addressing }

    /// The reports for one engine event, in order; empty when the police get nothing of it.
    public mutating func reports(for event: Event) -> [ContactIDEvent] {
        guard !event.test else { return [] }
        switch event.type {
        case .alarmRaised, .faultRaised, .alarmUpdated:
            let fresh = ContactIDEvent.newEvents(for: event, addressing: addressing)
            guard let id = event.alarm else { return fresh }
            var reported = open[id] ?? []
            let new = fresh.filter { e in !reported.contains(e) }
            var seen: Set<ContactIDEvent> = []
            let unique = new.filter { seen.insert($0).inserted }
            reported.append(contentsOf: unique)
            open[id] = reported
            return unique
        case .alarmCleared, .faultCleared:
            guard !event.kind.latches else { return [] }
            return restore(event)
        case .alarmResolved:
            if let id = event.alarm, open[id] == nil, !event.kind.latches {
                // Without a memory of it (a restart): a non-latching alarm was restored when it cleared.
                return []
            }
            return restore(event)
        case .alarmEscalated, .alarmAcknowledged, .deliveryPlanned, .deliverySent, .deliveryFailed:
            return []
        }
    }

    /// The alarms with reports not yet restored.
    public var openAlarms: Set<String> { Set(open.keys) }

    private mutating func restore(_ event: Event) -> [ContactIDEvent] {
        let reported: [ContactIDEvent]
        if let id = event.alarm, let known = open.removeValue(forKey: id) {
            reported = known
        } else {
            reported = ContactIDEvent.newEvents(for: event, addressing: addressing)
        }
        return reported.map { ContactIDEvent(.restore, code: $0.code, group: $0.group, zone: $0.zone) }
    }
}
