import CampusGuardCore

/// What happened in a period, for the school's safety officer, worked out from the stored
/// events alone (docs/cli.md, `GET /api/v1/report`): every alarm raised in it with how fast
/// people answered, the faults and how long they lasted, how long each device was offline,
/// and the hazard tickets still open.
public struct SafetyReport: Sendable, Hashable {
    /// One alarm raised in the period.
    public struct AlarmResponse: Sendable, Hashable {
        public var alarm: String
        /// The kind it was raised as, and the kind it ended as (smoke confirmed as fire).
        public var raisedKind: AlarmKind
        public var kind: AlarmKind
        public var severity: Severity
        public var location: String
        public var devices: [String]
        /// A self-test, a device in maintenance or a drill.
        public var test: Bool
        public var raised: Instant
        /// The first `delivery.sent` of the alarm, on any channel; nil when nothing was delivered.
        public var firstNotice: Notice?
        public var acknowledged: Answer?
        public var resolved: Answer?
    }

    /// The first message that reached someone: when, on which channel, how long after the raising.
    public struct Notice: Sendable, Hashable {
        public var at: Instant
        public var channel: String?
        public var after: Interval
    }

    /// A person's answer: who, when, and how long after the alarm was raised.
    public struct Answer: Sendable, Hashable {
        public var by: String
        public var at: Instant
        public var after: Interval
    }

    /// How many alarms of each kind, and how fast they were acknowledged.
    public struct Summary: Sendable, Hashable {
        public var alarms: Int
        /// By final kind, most first (then by name).
        public var byKind: [KindCount]
        public var acknowledged: Int
        public var neverAcknowledged: Int
        public var medianToAcknowledge: Interval?
        public var worstToAcknowledge: Interval?
        /// The alarm acknowledged slowest.
        public var worstAlarm: String?
    }

    /// How many alarms ended as one kind.
    public struct KindCount: Sendable, Hashable {
        public var kind: AlarmKind
        public var count: Int

        public init(kind: AlarmKind, count: Int) {
            self.kind = kind
            self.count = count
        }
    }

    /// A fault open at some time in the period.
    public struct Fault: Sendable, Hashable {
        public var alarm: String
        public var kind: AlarmKind
        /// `silent`, `unavailable`, `comms_lost`, `building_offline`, `bridge_offline`, … (docs/events.md).
        public var reason: String
        public var location: String
        /// Every device the fault's events named.
        public var devices: [String]
        public var test: Bool
        public var raised: Instant
        /// Nil while it is still open.
        public var cleared: Instant?
        /// From its raising to its clearing, or to the report's end while it is still open.
        public var lasted: Interval
    }

    /// How long one device was offline within the period.
    public struct DeviceOffline: Sendable, Hashable {
        public var device: String
        /// The sum of its offline intervals, overlapping ones counted once, clipped to the period.
        public var offline: Interval
        /// How many offline faults covered it.
        public var faults: Int
        /// Still offline at the report's end.
        public var stillOffline: Bool
    }

    /// A hazard ticket not yet closed (docs/tickets.md), as the report lists it.
    public struct OpenTicket: Sendable, Hashable {
        public var id: String
        public var building: String
        public var title: String
        /// `found`, `assigned`, `rectified`, `verified`.
        public var state: String
        public var opened: Instant

        public init(id: String, building: String, title: String, state: String, opened: Instant) {
            self.id = id
            self.building = building
            self.title = title
            self.state = state
            self.opened = opened
        }
    }

    public var since: Instant
    public var until: Instant
    /// Alarms raised in the period (real and test), oldest first.
    public var alarms: [AlarmResponse]
    /// The real alarms (not tests), summarised.
    public var summary: Summary
    /// The test alarms, summarised apart.
    public var testSummary: Summary
    public var faults: [Fault]
    /// Most offline first.
    public var offline: [DeviceOffline]
    /// Oldest first.
    public var tickets: [OpenTicket]

    /// Works the report out.
    ///
    /// - Parameters:
    ///   - events: the stored events of (at least) every alarm and fault open in the period, in
    ///     order (`Store.reportEvents(since:until:)`); events of other alarms change nothing.
    ///   - since, until: the period, `until` not included; a fault still open counts until `until`.
    ///   - tickets: the open hazard tickets; empty where tickets are not available.
    public init(events: [Event], since: Instant, until: Instant, tickets: [OpenTicket] = []) {
        var byAlarm: [String: [Event]] = [:]
        var order: [String] = []
        for e in events {
            guard let id = e.alarm else { continue }
            if byAlarm[id] == nil { order.append(id) }
            byAlarm[id, default: []].append(e)
        }
        self.since = since
        self.until = until
        alarms = order.compactMap { id in
            guard let raised = byAlarm[id]?.first(where: { $0.type == .alarmRaised }),
                raised.timestamp >= since, raised.timestamp < until
            else { return nil }
            return Self.response(raised, byAlarm[id] ?? [])
        }
        .sorted { ($0.raised, $0.alarm) < ($1.raised, $1.alarm) }
        summary = Summary(alarms.filter { !$0.test })
        testSummary = Summary(alarms.filter(\.test))
        faults = order.compactMap { id in Self.fault(byAlarm[id] ?? [], since: since, until: until) }
            .sorted { ($0.raised, $0.alarm) < ($1.raised, $1.alarm) }
        offline = Self.offline(faults, since: since, until: until)
        self.tickets = tickets.sorted { ($0.opened, $0.id) < ($1.opened, $1.id) }
    }

    static func response(_ raised: Event, _ events: [Event]) -> AlarmResponse {
        var r = AlarmResponse(
            alarm: raised.alarm ?? "",
            raisedKind: raised.kind,
            kind: raised.kind,
            severity: raised.severity,
            location: raised.location,
            devices: raised.devices,
            test: raised.test,
            raised: raised.timestamp
        )
        for e in events where e.timestamp >= raised.timestamp {
            let after = e.timestamp - raised.timestamp
            switch e.type {
            case .alarmUpdated:
                r.kind = e.kind
                r.severity = e.severity
                r.devices = e.devices
            case .deliverySent where r.firstNotice == nil:
                r.firstNotice = Notice(at: e.timestamp, channel: e.channel, after: after)
            case .alarmAcknowledged where r.acknowledged == nil:
                r.acknowledged = Answer(by: e.by ?? "?", at: e.timestamp, after: after)
            case .alarmResolved where r.resolved == nil:
                r.resolved = Answer(by: e.by ?? "?", at: e.timestamp, after: after)
            default:
                break
            }
        }
        return r
    }
}

extension SafetyReport.Summary {
    init(_ alarms: [SafetyReport.AlarmResponse]) {
        var counts: [AlarmKind: Int] = [:]
        for a in alarms { counts[a.kind, default: 0] += 1 }
        let acknowledged = alarms.compactMap { a in a.acknowledged.map { (alarm: a.alarm, after: $0.after) } }
        let worst = acknowledged.max { $0.after < $1.after }
        self.init(
            alarms: alarms.count,
            byKind: counts.map { SafetyReport.KindCount(kind: $0.key, count: $0.value) }
                .sorted { ($1.count, $0.kind.rawValue) < ($0.count, $1.kind.rawValue) },
            acknowledged: acknowledged.count,
            neverAcknowledged: alarms.count - acknowledged.count,
            medianToAcknowledge: Self.median(acknowledged.map(\.after)),
            worstToAcknowledge: worst?.after,
            worstAlarm: worst?.alarm
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
