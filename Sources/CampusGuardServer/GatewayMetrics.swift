import CampusGuardCore
import Prometheus
import Synchronization

/// The daemon's Prometheus metrics (docs/metrics.md): counters fed as readings and events pass
/// through the daemon, gauges read from a `GatewaySnapshot` at scrape time.
///
/// Every counter the daemon increments on its hot paths is made up front, so that counting a
/// reading or an alarm is one atomic increment: no lock, no registry look-up. Labels are the
/// protocol, alarm kind and severity, channel, broker or bus: never a device.
public final class GatewayMetrics: Sendable {
    /// The registry `/metrics` renders; its own, not a process-wide one.
    public let registry = PrometheusCollectorRegistry()
    private let readings: [ReadingSource: Counter]
    private let alarms: [AlarmKey: Counter]
    private let deliveries: [DeliveryKey: Counter]
    private let latency: [String: ValueHistogram]
    let observed = Mutex(Observed())
    let scrape = Mutex(ScrapeState())

    /// Alarm-to-delivery latency buckets, in seconds: milliseconds (loopback) to minutes (retries).
    public static let latencyBuckets: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
    ]
    /// Alarms whose raise time is kept for the latency histogram, at most (oldest dropped first).
    static let trackedAlarms = 1_024

    struct AlarmKey: Hashable {
        var kind: AlarmKind
        var severity: Severity
        var test: Bool
    }

    struct DeliveryKey: Hashable {
        var channel: String
        var sent: Bool
    }

    struct Observed {
        /// Per open alarm: when it was raised and the channels that already had it.
        var alarms: [String: (raisedAt: Instant, delivered: Set<String>)] = [:]
        /// Per channel: why its last delivery failed; `""` when it was sent.
        var channels: [String: String] = [:]
    }

    /// - Parameter channels: the delivery channels' ids (with `police` when the police link is
    ///   configured): their counters and histograms start at zero.
    public init(channels: [String]) {
        let r = registry
        readings = Dictionary(
            uniqueKeysWithValues: [ReadingSource.mqtt, .modbus].map {
                ($0, r.makeCounter(descriptor: Self.readingsName, labels: [("protocol", $0.rawValue)]))
            }
        )
        var alarms: [AlarmKey: Counter] = [:]
        for kind in AlarmKind.allCases {
            for severity in Severity.allCases {
                for test in [false, true] {
                    alarms[AlarmKey(kind: kind, severity: severity, test: test)] = r.makeCounter(
                        descriptor: Self.alarmsName,
                        labels: [("kind", kind.rawValue), ("severity", severity.rawValue), ("test", "\(test)")]
                    )
                }
            }
        }
        self.alarms = alarms
        var deliveries: [DeliveryKey: Counter] = [:]
        var latency: [String: ValueHistogram] = [:]
        for channel in Set(channels) {
            for sent in [true, false] {
                deliveries[DeliveryKey(channel: channel, sent: sent)] = r.makeCounter(
                    descriptor: Self.deliveriesName,
                    labels: [("channel", channel), ("outcome", sent ? "sent" : "failed")]
                )
            }
            latency[channel] = r.makeValueHistogram(
                descriptor: Self.latencyName,
                labels: [("channel", channel)],
                buckets: Self.latencyBuckets
            )
        }
        self.deliveries = deliveries
        self.latency = latency
    }

    // MARK: - Counting

    /// Counts readings handed to the engine (called on the sources' threads; lock-free).
    public func countReadings(_ count: Int, from source: ReadingSource) {
        guard count > 0 else { return }
        readings[source]?.increment(by: Int64(count))
    }

    /// Counts the events the daemon emits: alarms and faults raised (and kind changes),
    /// deliveries sent and failed, and each alarm's first successful delivery per channel.
    public func observe(_ events: [Event]) {
        for e in events {
            switch e.type {
            case .alarmRaised, .faultRaised:
                alarms[AlarmKey(kind: e.kind, severity: e.severity, test: e.test)]?.increment()
                if let id = e.alarm { track(id, raisedAt: e.timestamp) }
            case .alarmUpdated where e.previousKind != nil && e.previousKind != e.kind:
                alarms[AlarmKey(kind: e.kind, severity: e.severity, test: e.test)]?.increment()
            case .alarmResolved, .faultCleared:
                if let id = e.alarm { _ = observed.withLock { $0.alarms.removeValue(forKey: id) } }
            case .deliverySent, .deliveryFailed:
                delivered(e)
            default:
                break
            }
        }
    }

    private func track(_ alarm: String, raisedAt: Instant) {
        observed.withLock { o in
            o.alarms[alarm] = (raisedAt, [])
            if o.alarms.count > Self.trackedAlarms,
                let oldest = o.alarms.min(by: { $0.value.raisedAt < $1.value.raisedAt })
            {
                o.alarms.removeValue(forKey: oldest.key)
            }
        }
    }

    private func delivered(_ e: Event) {
        guard let channel = e.channel else { return }
        let sent = e.type == .deliverySent
        counter(channel: channel, sent: sent).increment()
        let latency: Interval? = observed.withLock { o in
            o.channels[channel] = sent ? "" : (e.reason ?? "failed")
            guard sent, let alarm = e.alarm, var tracked = o.alarms[alarm], !tracked.delivered.contains(channel)
            else { return nil }
            tracked.delivered.insert(channel)
            o.alarms[alarm] = tracked
            return e.timestamp - tracked.raisedAt
        }
        if let latency { histogram(channel: channel).record(max(latency.seconds, 0)) }
    }

    private func counter(channel: String, sent: Bool) -> Counter {
        deliveries[DeliveryKey(channel: channel, sent: sent)]
            ?? registry.makeCounter(
                descriptor: Self.deliveriesName,
                labels: [("channel", channel), ("outcome", sent ? "sent" : "failed")]
            )
    }

    private func histogram(channel: String) -> ValueHistogram {
        latency[channel]
            ?? registry.makeValueHistogram(
                descriptor: Self.latencyName,
                labels: [("channel", channel)],
                buckets: Self.latencyBuckets
            )
    }

    /// The staff channels and the police link as `/readyz` parts: `ok` when their last
    /// delivery was sent, `down` with the reason when it failed; absent before their first.
    public func channelStates() -> [PartHealth] {
        observed.withLock { $0.channels }.filter { $0.key != "police" }.sorted { $0.key < $1.key }.map {
            PartHealth(
                name: "channel:\($0.key)",
                state: $0.value.isEmpty ? .ok : .down,
                reason: $0.value.isEmpty ? nil : $0.value
            )
        }
    }

    // MARK: - Names

    static func name(_ metric: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "campusguard", metricName: metric, unitName: unit, helpText: help)
    }

    static var readingsName: MetricNameDescriptor {
        name("readings", unit: "total", "Readings handed to the engine, by protocol.")
    }
    static var alarmsName: MetricNameDescriptor {
        name("alarms", unit: "total", "Alarms and faults raised, and alarms whose kind changed, by kind and severity.")
    }
    static var deliveriesName: MetricNameDescriptor {
        name("deliveries", unit: "total", "Delivery attempts reported sent or failed, by channel.")
    }
    static var latencyName: MetricNameDescriptor {
        name(
            "alarm_delivery",
            unit: "seconds",
            "From an alarm's raise to its first successful delivery on a channel (police: the police link)."
        )
    }
}
