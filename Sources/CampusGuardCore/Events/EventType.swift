/// The event types of the design: what happened to an alarm, a fault or a delivery.
public enum EventType: String, CaseIterable, Sendable, Hashable {
    case alarmRaised = "alarm.raised"
    /// The alarm changed: smoke confirmed as fire, a higher severity, its condition back after clearing.
    case alarmUpdated = "alarm.updated"
    case alarmEscalated = "alarm.escalated"
    case alarmAcknowledged = "alarm.acknowledged"
    /// The condition is gone; a latching alarm stays open until a person resolves it.
    case alarmCleared = "alarm.cleared"
    /// Closed by a person.
    case alarmResolved = "alarm.resolved"
    case faultRaised = "fault.raised"
    case faultCleared = "fault.cleared"
    case deliveryPlanned = "delivery.planned"
    case deliverySent = "delivery.sent"
    case deliveryFailed = "delivery.failed"
}
