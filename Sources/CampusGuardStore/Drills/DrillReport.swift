import CampusGuardCore

/// What drills measured, worked out from the drill log and the stored events alone: for each
/// drill, every test alarm raised in it, when each escalation tier was notified, who
/// acknowledged and how fast, and a summary. `campusguard drill report` prints it.
public struct DrillReport: Sendable, Hashable {
    /// An acknowledgement within this time counts as prompt (the verification window of UL 864
    /// practice, FACTS.md).
    public static let promptWithin = Interval.seconds(60)

    /// One drill and its alarms.
    public struct DrillResult: Sendable, Hashable {
        public var drill: DrillRecord
        /// When its window ends: the stop, or the report's `now` for a drill still running.
        public var end: Instant
        public var alarms: [AlarmResult]
        public var summary: Summary
    }

    /// One test alarm raised during a drill.
    public struct AlarmResult: Sendable, Hashable {
        public var alarm: String
        /// The kind it was raised as, and the kind it ended as (smoke confirmed as fire).
        public var raisedKind: AlarmKind
        public var kind: AlarmKind
        public var location: String
        public var devices: [String]
        public var raised: Instant
        public var tiers: [TierNotice]
        /// The first acknowledgement; nil if nobody acknowledged.
        public var acknowledged: Response?
        public var resolved: Response?
    }

    /// When a tier of the escalation was notified: its first `delivery.sent`.
    public struct TierNotice: Sendable, Hashable {
        public var tier: Int
        /// Nil when every attempt failed.
        public var sent: Instant?
        public var channel: String?
        /// From the alarm's raising to `sent`.
        public var after: Interval?
    }

    /// A person's answer to an alarm: who, when, and how long after it was raised.
    public struct Response: Sendable, Hashable {
        public var by: String
        public var at: Instant
        public var after: Interval
    }

    /// How fast alarms were acknowledged.
    public struct Summary: Sendable, Hashable {
        public var alarms: Int
        public var acknowledgedPromptly: Int
        public var acknowledgedLater: Int
        public var neverAcknowledged: Int
        public var medianToAcknowledge: Interval?
        public var slowestToAcknowledge: Interval?
        /// The alarm acknowledged slowest.
        public var slowestAlarm: String?
        /// Per person who acknowledged, most acknowledgements first.
        public var people: [PersonTimes]
    }

    /// One person's acknowledgements.
    public struct PersonTimes: Sendable, Hashable {
        public var person: String
        public var acknowledgements: Int
        public var median: Interval
        public var slowest: Interval
    }

    public var drills: [DrillResult]
    /// Every alarm of every drill, summarised together.
    public var overall: Summary
    public var generated: Instant

    /// Works the report out.
    ///
    /// - Parameters:
    ///   - drills: the drills to report, from the drill log.
    ///   - events: the stored events of (at least) their alarms, in order; others are ignored.
    ///   - now: the end of a drill still running, and the report's date.
    public init(drills: [DrillRecord], events: [Event], now: Instant) {
        var byAlarm: [String: [Event]] = [:]
        for e in events {
            if let alarm = e.alarm { byAlarm[alarm, default: []].append(e) }
        }
        let raisings = events.filter { $0.type == .alarmRaised && $0.test && $0.alarm != nil }
        self.drills = drills.map { drill in
            let end = drill.stopped ?? max(now, drill.started)
            let alarms = raisings.filter { Self.covers(drill, $0, end: end) }.map { raised in
                Self.result(raised, byAlarm[raised.alarm ?? ""] ?? [])
            }
            return DrillResult(drill: drill, end: end, alarms: alarms, summary: Summary(alarms))
        }
        overall = Summary(self.drills.flatMap(\.alarms))
        generated = now
    }

    /// Reads the events of the drills' test alarms from the store and works the report out.
    public init(store: Store, drills: [DrillRecord], now: Instant) throws(StoreError) {
        var events: [Event] = []
        for d in drills {
            events += try store.testAlarmEvents(raisedFrom: d.started, until: d.stopped ?? max(now, d.started))
        }
        self.init(drills: drills, events: events, now: now)
    }

    /// A test alarm belongs to a drill when it was raised in the drill's window, in a building
    /// the drill covers, and is not a panic button the drill left live.
    static func covers(_ drill: DrillRecord, _ raised: Event, end: Instant) -> Bool {
        guard raised.timestamp >= drill.started, raised.timestamp < end else { return false }
        if raised.kind == .panic && !drill.includesPanicButtons { return false }
        guard let buildings = drill.buildings else { return true }
        let building = raised.location.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        return buildings.contains(building)
    }

    static func result(_ raised: Event, _ events: [Event]) -> AlarmResult {
        var result = AlarmResult(
            alarm: raised.alarm ?? "",
            raisedKind: raised.kind,
            kind: raised.kind,
            location: raised.location,
            devices: raised.devices,
            raised: raised.timestamp,
            tiers: []
        )
        var tiers: [Int: TierNotice] = [:]
        for e in events where e.timestamp >= raised.timestamp {
            switch e.type {
            case .alarmUpdated:
                result.kind = e.kind
                result.devices = e.devices
            case .alarmEscalated, .deliveryFailed:
                if let tier = e.tier, tiers[tier] == nil { tiers[tier] = TierNotice(tier: tier) }
            case .deliverySent:
                guard let tier = e.tier, tiers[tier]?.sent == nil else { break }
                tiers[tier] = TierNotice(
                    tier: tier,
                    sent: e.timestamp,
                    channel: e.channel,
                    after: e.timestamp - raised.timestamp
                )
            case .alarmAcknowledged where result.acknowledged == nil:
                result.acknowledged = Response(by: e.by ?? "?", at: e.timestamp, after: e.timestamp - raised.timestamp)
            case .alarmResolved where result.resolved == nil:
                result.resolved = Response(by: e.by ?? "?", at: e.timestamp, after: e.timestamp - raised.timestamp)
            default:
                break
            }
        }
        result.tiers = tiers.values.sorted { $0.tier < $1.tier }
        return result
    }
}

extension DrillReport.Summary {
    init(_ alarms: [DrillReport.AlarmResult]) {
        let acknowledged = alarms.compactMap(\.acknowledged)
        let times = acknowledged.map(\.after)
        let prompt = times.filter { $0 <= DrillReport.promptWithin }.count
        let slowest = alarms.compactMap { a in a.acknowledged.map { (alarm: a.alarm, after: $0.after) } }
            .max { $0.after < $1.after }
        var people: [String: [Interval]] = [:]
        for a in acknowledged { people[a.by, default: []].append(a.after) }
        self.init(
            alarms: alarms.count,
            acknowledgedPromptly: prompt,
            acknowledgedLater: times.count - prompt,
            neverAcknowledged: alarms.count - times.count,
            medianToAcknowledge: Self.median(times),
            slowestToAcknowledge: times.max(),
            slowestAlarm: slowest?.alarm,
            people: people.map { person, times in
                DrillReport.PersonTimes(
                    person: person,
                    acknowledgements: times.count,
                    median: Self.median(times)!,
                    slowest: times.max()!
                )
            }
            .sorted { ($1.acknowledgements, $0.person) < ($0.acknowledgements, $1.person) }
        )
    }

    /// The middle time; for an even count, the mean of the two middle ones.
    static func median(_ times: [Interval]) -> Interval? {
        guard !times.isEmpty else { return nil }
        let sorted = times.sorted()
        let mid = sorted.count / 2
        if sorted.count % 2 == 1 { return sorted[mid] }
        return Interval(milliseconds: (sorted[mid - 1].milliseconds + sorted[mid].milliseconds) / 2)
    }
}
