/// Decides who hears of each alarm, where and when: the escalation tiers of its policy, their
/// repeats and reminders, the police link, and the closing notices.
///
/// A pure state machine like the engine: no I/O, no clock. `handle(_:at:)` takes each engine
/// event, `tick(now:)` lets timers run out; both first run every timer due by then and return
/// what they decided. Every delivery has an id that depends only on the events and the config,
/// so a restarted daemon rebuilds the planner by `replay`ing the store's events (from the raising
/// of the oldest open alarm on), ticks it, and drops the deliveries its outbox already holds.
public struct EscalationPlanner: Sendable {
    public private(set) var roster: DutyRoster
    public private(set) var policies: [EscalationPolicy]
    /// Every channel id, in config order: what a tier without `channels` uses.
    public private(set) var channels: [String]
    public private(set) var policeLink: Bool
    public private(set) var buildings: Set<String>

    var plans: [String: AlarmPlan] = [:]
    /// Each plan's next deadline, kept beside the plans so that a tick with nothing due is a
    /// scan of instants, not of whole plans.
    private var deadlines: [String: Instant] = [:]
    private var nextOrdinal = 0

    /// - Parameters:
    ///   - policies: first match wins; none (or none matching) means the default policy.
    ///   - policeLink: whether a police link is configured; without one nothing is planned for it.
    ///   - buildings: the location ids, to tell an alarm's building from a site-wide location.
    public init(
        roster: DutyRoster,
        policies: [EscalationPolicy],
        channels: [String],
        policeLink: Bool,
        buildings: Set<String>
    ) {
        self.roster = roster
        self.policies = policies
        self.channels = channels
        self.policeLink = policeLink
        self.buildings = buildings
    }

    public init(config: SiteConfig) {
        self.init(
            roster: config.roster,
            policies: config.escalationPolicies,
            channels: config.channels.map(\.id),
            policeLink: config.policeLink != nil,
            buildings: Set(config.buildings.map(\.id))
        )
    }

    /// Takes a reloaded config's roster, policies, channels and locations. Plans already made
    /// go on with the policy they were made by, and keep their delivery ids; the next alarm
    /// goes by the new policies, and every delivery planned from now on addresses the new
    /// roster's people.
    public mutating func reconfigure(config: SiteConfig) {
        roster = config.roster
        policies = config.escalationPolicies
        channels = config.channels.map(\.id)
        policeLink = config.policeLink != nil
        buildings = Set(config.buildings.map(\.id))
    }

    /// The alarms and faults being planned for, oldest first.
    public var openAlarms: [String] {
        plans.sorted { $0.value.ordinal < $1.value.ordinal }.map(\.key)
    }

    /// The policy an alarm goes by: the first configured that matches, else the default.
    public func policy(for event: Event) -> EscalationPolicy {
        EscalationPolicy.select(
            from: policies,
            kind: event.kind,
            severity: event.severity,
            building: building(of: event.location),
            test: event.test
        )
    }

    /// The building of a location (`dorm-a/3/301` → `dorm-a`); nil for a site-wide one.
    public func building(of location: String) -> String? {
        let first = String(location.prefix { $0 != "/" })
        return buildings.contains(first) ? first : nil
    }

    // MARK: - Events

    /// Takes one event (engine events; the planner's own and delivery events change nothing) at
    /// the planner's now, which should be the event's timestamp. Timers due before then run
    /// first; a timer due at the same instant comes after the event, which has the newer news.
    public mutating func handle(_ event: Event, at now: Instant) -> EscalationActions {
        var out = tick(now: now - Interval(milliseconds: 1))
        guard let id = event.alarm else { return out }
        defer { deadlines[id] = plans[id]?.nextDeadline }
        switch event.type {
        case .alarmRaised, .faultRaised:
            guard plans[id] == nil else { return out }
            open(event, at: now, into: &out)
        case .alarmUpdated:
            guard var p = plans[id] else {
                open(event, at: now, into: &out)
                return out
            }
            // An update while cleared means the condition is back (or a device joined with it):
            // when unsure, notifying again is the safe side.
            let again =
                p.cleared || event.kind != p.event.kind || event.severity > p.event.severity
                || event.reason == "pressed_again"
            p.event = event
            p.cleared = false
            plans[id] = p
            if again { replan(id, at: now, into: &out) }
        case .alarmAcknowledged:
            if plans[id]?.acknowledgedAt == nil { plans[id]?.acknowledgedAt = now }
        case .alarmCleared:
            guard plans[id] != nil else { return out }
            if event.kind.latches {
                plans[id]?.cleared = true
                restorePolice(id, event, at: now, into: &out)
            } else {
                close(id, event, at: now, into: &out)
            }
        case .alarmResolved, .faultCleared:
            close(id, event, at: now, into: &out)
        case .alarmEscalated, .deliveryPlanned, .deliverySent, .deliveryFailed:
            break
        }
        return out
    }

    /// Every event in order, each at its own timestamp: how a restarted daemon rebuilds the
    /// planner from its store. Tick it with the real now afterwards.
    public mutating func replay(_ events: some Sequence<Event>) -> EscalationActions {
        var out = EscalationActions()
        for e in events { out.append(handle(e, at: e.timestamp)) }
        return out
    }

    // MARK: - Time

    /// Runs every timer due at or before `now`: later tiers, repeats, reminders. Repeats and
    /// reminders missed while the daemon was down are planned once, as the latest due.
    public mutating func tick(now: Instant) -> EscalationActions {
        var out = EscalationActions()
        let due = deadlines.filter { $0.value <= now }.keys.sorted { plans[$0]!.ordinal < plans[$1]!.ordinal }
        for id in due {
            runTimers(id, now: now, into: &out)
            deadlines[id] = plans[id]?.nextDeadline
        }
        out.deliveries = Self.byDue(out.deliveries, \.due)
        out.events = Self.byDue(out.events, \.timestamp)
        return out
    }

    /// The earliest instant at which `tick` has something to do; nil when nothing is pending.
    public var nextDeadline: Instant? {
        deadlines.values.min()
    }

    private static func byDue<T>(_ items: [T], _ due: (T) -> Instant) -> [T] {
        items.enumerated().sorted { (due($0.element), $0.offset) < (due($1.element), $1.offset) }.map(\.element)
    }

    private mutating func open(_ event: Event, at now: Instant, into out: inout EscalationActions) {
        guard let id = event.alarm else { return }
        nextOrdinal += 1
        plans[id] = AlarmPlan(ordinal: nextOrdinal, event: event, building: building(of: event.location))
        replan(id, at: now, into: &out)
    }
}
