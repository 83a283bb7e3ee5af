import CampusGuardCore
import Yams

/// Reads a `thresholds:` entry (profile defaults, location-kind and device overrides alike).
enum ThresholdReader {
    /// `entries` is a map from channel name to spec; `allowed` limits channel names where known.
    static func read(
        _ entries: [(key: String, keyNode: Node, value: Node)],
        file: String,
        path: String,
        log: DiagnosticLog,
        allowed: Set<ChannelID>? = nil
    ) -> [ChannelID: ThresholdSpec] {
        var out: [ChannelID: ThresholdSpec] = [:]
        for entry in entries {
            guard let channel = ChannelID(entry.key) else {
                log.report(
                    file,
                    entry.keyNode,
                    "\(path).\(entry.key) is not a channel (\(ChannelKind.allCases.map(\.rawValue).joined(separator: ", ")), optionally with .N)"
                )
                continue
            }
            if let allowed, !allowed.contains(channel),
                !(channel.index == nil && allowed.contains { $0.kind == channel.kind })
            {
                log.report(file, entry.keyNode, "\(path).\(entry.key): the device's profile has no such channel")
                continue
            }
            guard var r = MappingReader(entry.value, file: file, path: "\(path).\(entry.key)", log: log) else {
                continue
            }
            if let spec = read(&r, channel: channel) { out[channel] = spec }
            r.finish()
        }
        return out
    }

    private static func read(_ r: inout MappingReader, channel: ChannelID) -> ThresholdSpec? {
        var spec = ThresholdSpec()
        let hysteresis = r.double("hysteresis") ?? 0
        let duration = r.duration("for") ?? .zero
        spec.minimumDuration = duration
        if hysteresis < 0 { r.report(r.value("hysteresis"), "\(r.name("hysteresis")) must not be negative") }
        spec.severity = r.oneOf("severity", Severity.self)
        spec.kind = r.oneOf("kind", AlarmKind.self)
        let range = channel.kind.range
        if let levels = r.sequence("levels") {
            for (i, node) in levels.enumerated() {
                guard var l = MappingReader(node, file: r.file, path: r.name("levels[\(i)]"), log: r.log) else {
                    continue
                }
                let above = l.double("above")
                let below = l.double("below")
                let severity = l.oneOf("severity", Severity.self, required: true)
                let levelFor = l.duration("for") ?? duration
                let levelHysteresis = l.double("hysteresis") ?? hysteresis
                l.finish()
                guard (above == nil) != (below == nil) else {
                    l.report(node, "\(l.path) needs exactly one of above or below")
                    continue
                }
                let limit = above ?? below!
                if let range, !range.contains(limit) {
                    l.report(
                        node,
                        "\(l.path): \(formatted(limit)) is outside the range of \(channel.kind.rawValue) (\(formatted(range.lowerBound))…\(formatted(range.upperBound)) \(channel.kind.unit))"
                    )
                    continue
                }
                if range == nil {
                    l.report(node, "\(l.path): \(channel.kind.rawValue) takes no numeric levels")
                    continue
                }
                guard let severity else { continue }
                spec.levels.append(
                    ThresholdLevel(
                        direction: above != nil ? .above : .below,
                        limit: limit,
                        severity: severity,
                        minimumDuration: levelFor,
                        hysteresis: levelHysteresis
                    )
                )
            }
        }
        if var rise = r.mapping("rate_of_rise") {
            if channel.kind != .temperature && channel.kind != .cableTemperature {
                rise.report(rise.node, "\(rise.path): rate-of-rise applies to temperature channels only")
            }
            let perMinute = rise.double("per_minute", required: true)
            let minimum = rise.double("above", required: true)
            let window = rise.duration("window") ?? .minutes(5)
            rise.finish()
            if let perMinute, let minimum {
                if perMinute <= 0 { rise.report(rise.node, "\(rise.name("per_minute")) must be above 0") }
                if let range, !range.contains(minimum) {
                    rise.report(
                        rise.node,
                        "\(rise.name("above")): \(formatted(minimum)) is outside the range of \(channel.kind.rawValue)"
                    )
                }
                if window.milliseconds < 20_000 {
                    rise.report(rise.node, "\(rise.name("window")) must be at least 20s")
                }
                spec.rateOfRise = RateOfRise(perMinute: perMinute, minimum: minimum, window: window)
            }
        }
        return spec
    }

    static func formatted(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
