import CampusGuardCore

extension SafetyReport {
    /// The fault reasons that mean a device could not be heard: its offline time.
    public static let offlineReasons: Set<String> = [
        "silent", "unavailable", "comms_lost", "building_offline", "bridge_offline", "bus_offline",
    ]

    /// The fault whose events these are, if it was open at some time in the period.
    static func fault(_ events: [Event], since: Instant, until: Instant) -> Fault? {
        guard let raised = events.first(where: { $0.type == .faultRaised }), raised.timestamp < until else {
            return nil
        }
        let cleared = events.first { $0.type == .faultCleared && $0.timestamp >= raised.timestamp }?.timestamp
        if let cleared, cleared < since { return nil }
        var devices: [String] = []
        for e in events where e.type != .deliveryPlanned {
            for d in e.devices where !devices.contains(d) { devices.append(d) }
        }
        return Fault(
            alarm: raised.alarm ?? "",
            kind: raised.kind,
            reason: raised.reason ?? "",
            location: raised.location,
            devices: devices,
            test: raised.test,
            raised: raised.timestamp,
            cleared: cleared,
            lasted: (cleared ?? max(until, raised.timestamp)) - raised.timestamp
        )
    }

    /// Each device's offline time in the period: the intervals of the offline faults that
    /// name it, clipped to the period, overlapping ones merged. A fault still open counts
    /// until `until`.
    static func offline(_ faults: [Fault], since: Instant, until: Instant) -> [DeviceOffline] {
        var spans: [String: [(start: Instant, end: Instant)]] = [:]
        var still: Set<String> = []
        for f in faults where offlineReasons.contains(f.reason) {
            let end = min(f.cleared ?? until, until)
            let start = max(f.raised, since)
            for d in f.devices {
                spans[d, default: []].append((start, max(start, end)))
                if f.cleared == nil || f.cleared! >= until { still.insert(d) }
            }
        }
        return spans.map { device, intervals in
            DeviceOffline(
                device: device,
                offline: merged(intervals),
                faults: intervals.count,
                stillOffline: still.contains(device)
            )
        }
        .sorted { ($1.offline, $0.device) < ($0.offline, $1.device) }
    }

    /// The length of the union of the intervals.
    static func merged(_ intervals: [(start: Instant, end: Instant)]) -> Interval {
        var total: Int64 = 0
        var current: (start: Instant, end: Instant)?
        for i in intervals.sorted(by: { $0.start < $1.start }) {
            guard let c = current else {
                current = i
                continue
            }
            if i.start <= c.end {
                current = (c.start, max(c.end, i.end))
            } else {
                total += (c.end - c.start).milliseconds
                current = i
            }
        }
        if let c = current { total += (c.end - c.start).milliseconds }
        return Interval(milliseconds: total)
    }
}
