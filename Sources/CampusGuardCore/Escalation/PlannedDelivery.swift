/// One delivery the planner decided on: an alarm, to one channel or the police link, at one instant.
///
/// Its `id` depends only on the alarm's events and the config, never on when the planner ran:
/// replaying the same events after a restart plans the same ids, so the outbox can drop what it
/// already holds.
public struct PlannedDelivery: Sendable, Hashable, Identifiable {
    /// `ALARM/TIER/CHANNEL/PLAN.ROUND` for staff (`…/1/duty-dingtalk/1.1`; rounds after the first
    /// are repeats, `r1`, `r2` … reminders), `ALARM/police/N` and `ALARM/police-restore/N` for the
    /// police link, `ALARM/end/CHANNEL` for the notice that the alarm is over.
    public var id: String
    public var alarm: String
    /// The alarm as it stands (its latest `alarm.raised`/`alarm.updated`/`fault.raised`), or the
    /// event that ended it for closing notices and police restores.
    public var event: Event
    public var target: Target
    /// The staff tier; nil for the police link and closing notices.
    public var tier: Int?
    /// When it is due: the instant the timer was set for, not when the planner ran.
    public var due: Instant
    public var reason: Reason

    public init(
        id: String,
        alarm: String,
        event: Event,
        target: Target,
        tier: Int?,
        due: Instant,
        reason: Reason
    ) {
        self.id = id
        self.alarm = alarm
        self.event = event
        self.target = target
        self.tier = tier
        self.due = due
        self.reason = reason
    }

    public enum Target: Sendable, Hashable {
        /// A channel id under `channels`, and the people to address (mention) there.
        case channel(String, recipients: [Person])
        /// The police link; `restore` is Contact ID's restore (the condition is over).
        case police(restore: Bool)
    }

    /// Why the delivery happens, in one word (also the `reason` of its `delivery.planned` event).
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// Tier 1 of a new alarm, and the police link for it.
        case raised
        /// A later tier: nobody acknowledged in time.
        case escalated
        /// The tier again, nobody having acknowledged.
        case repeated
        /// The alarm changed (smoke confirmed as fire, higher severity, its condition back, a
        /// panic button pressed again): the tiers reached so far hear of it again.
        case updated
        /// Acknowledged but still active: tier 1 is reminded.
        case reminder
        /// The alarm is over (resolved, or it closed itself): the channels that heard of it.
        case closed
        /// The police link's restore.
        case restore
    }

    /// The people addressed; none for the police link.
    public var recipients: [Person] {
        if case .channel(_, let people) = target { return people }
        return []
    }

    /// The channel id, or `police`.
    public var targetName: String {
        switch target {
        case .channel(let id, _): id
        case .police: "police"
        }
    }

    /// The `delivery.planned` event that records this delivery.
    public var plannedEvent: Event {
        Event(
            timestamp: due,
            type: .deliveryPlanned,
            alarm: alarm,
            kind: event.kind,
            severity: event.severity,
            devices: event.devices,
            location: event.location,
            test: event.test,
            reason: reason.rawValue,
            channel: targetName,
            tier: tier
        )
    }
}

/// What the planner decided in one step: deliveries to carry out, and events to record
/// (`alarm.escalated`, `delivery.planned`), each in the order they happened.
public struct EscalationActions: Sendable, Hashable {
    public var deliveries: [PlannedDelivery] = []
    public var events: [Event] = []

    public init(deliveries: [PlannedDelivery] = [], events: [Event] = []) {
        self.deliveries = deliveries
        self.events = events
    }

    public var isEmpty: Bool { deliveries.isEmpty && events.isEmpty }

    mutating func plan(_ d: PlannedDelivery) {
        deliveries.append(d)
        events.append(d.plannedEvent)
    }

    mutating func append(_ other: EscalationActions) {
        deliveries += other.deliveries
        events += other.events
    }
}
