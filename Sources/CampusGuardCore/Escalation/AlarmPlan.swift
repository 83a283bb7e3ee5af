/// The planner's state for one open alarm or fault.
struct AlarmPlan: Sendable, Hashable {
    /// The order the planner first heard of it, for a stable order of deliveries.
    let ordinal: Int
    /// The alarm as it stands: its latest `alarm.raised`, `alarm.updated` or `fault.raised`.
    var event: Event
    var building: String?
    var policy: EscalationPolicy = .default
    /// How many times the alarm was planned: 1 at raising, one more each time it changed enough
    /// to notify again. Part of the delivery ids.
    var plan = 0
    /// The start of each tier of the current plan.
    var tierStarts: [Instant] = []
    /// For each tier, the next round to plan: 1 is its start, 2… its repeats.
    var nextRound: [Int] = []
    /// The highest tier notified over the alarm's life (1-based; 0: none yet).
    var reachedTier = 0
    var acknowledgedAt: Instant?
    /// The condition is gone but the alarm latches: it waits for a person.
    var cleared = false
    /// Reminders planned since the acknowledgement.
    var reminders = 0
    /// Alarms sent to the police link, and whether the last one still waits for its restore.
    var policeAlarms = 0
    var policeActive = false
    /// The channels that heard of the alarm, in first-use order, with whom they last addressed.
    var notifiedChannels: [String] = []
    var lastRecipients: [String: [Person]] = [:]

    init(ordinal: Int, event: Event, building: String?) {
        self.ordinal = ordinal
        self.event = event
        self.building = building
    }

    /// The next instant a timer of this alarm runs out; nil when none is set.
    var nextDeadline: Instant? {
        if let acknowledgedAt {
            guard !cleared, let every = policy.reacknowledgeAfter, every.milliseconds > 0 else { return nil }
            return acknowledgedAt + every * (reminders + 1)
        }
        var best: Instant? = nil
        for (k, tier) in policy.tiers.enumerated() {
            let due: Instant?
            if nextRound[k] == 1 {
                due = tierStarts[k]
            } else if let every = tier.repeatEvery, every.milliseconds > 0, nextRound[k] <= tier.repeatTimes + 1 {
                due = tierStarts[k] + every * (nextRound[k] - 1)
            } else {
                due = nil
            }
            if let due, best.map({ due < $0 }) ?? true { best = due }
        }
        return best
    }
}
