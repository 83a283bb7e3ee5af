/// What one channel says at the moment: whether its alarm condition holds, and how badly.
struct ChannelSignal: Equatable {
    var active: Bool
    var severity: Severity
    var reason: String

    static let inactive = ChannelSignal(active: false, severity: .minor, reason: "")
}

/// The threshold state machine of one device channel: levels with hysteresis and minimum
/// duration, a boolean condition, and temperature rate-of-rise.
struct ChannelMonitor {
    let kind: AlarmKind
    let spec: ThresholdSpec
    private var levelOn: [Bool]
    private var levelPendingSince: [Instant?]
    private var boolOn = false
    private var boolPendingSince: Instant?
    private var riseOn = false
    private var samples = RecentSamples()
    private var lastNumber: Double?
    private(set) var signal = ChannelSignal.inactive

    init(kind: AlarmKind, spec: ThresholdSpec) {
        self.kind = kind
        self.spec = spec
        levelOn = Array(repeating: false, count: spec.levels.count)
        levelPendingSince = Array(repeating: nil, count: spec.levels.count)
    }

    /// A monitor for a channel whose limits changed (a config reload), going on from `old`.
    ///
    /// A level that was on stays on when the new spec has one of the same direction and
    /// severity: it clears through its hysteresis on the next reading, never on the reload
    /// itself. A level the last value is past starts counting now, and is on at once when it
    /// has no minimum duration: a lowered limit raises at the reload on the last value.
    init(kind: AlarmKind, spec: ThresholdSpec, continuing old: ChannelMonitor?, last: ReadingValue?, at time: Instant) {
        self.init(kind: kind, spec: spec)
        if let old {
            for i in spec.levels.indices {
                let level = spec.levels[i]
                levelOn[i] = old.spec.levels.indices.contains { j in
                    old.levelOn[j] && old.spec.levels[j].direction == level.direction
                        && old.spec.levels[j].severity == level.severity
                }
            }
            boolOn = old.boolOn
            boolPendingSince = old.boolPendingSince
            if spec.rateOfRise != nil {
                riseOn = old.riseOn
                samples = old.samples
            }
            lastNumber = old.lastNumber
        }
        switch last {
        case .number(let v):
            for i in spec.levels.indices where !levelOn[i] && spec.levels[i].isPast(v) {
                if spec.levels[i].minimumDuration.milliseconds <= 0 {
                    levelOn[i] = true
                } else {
                    levelPendingSince[i] = time
                }
            }
        case .bool(true) where !boolOn && boolPendingSince == nil:
            if spec.minimumDuration.milliseconds <= 0 { boolOn = true } else { boolPendingSince = time }
        default:
            break
        }
        _ = refresh()
    }

    /// Feeds a value; returns true when the signal changed.
    mutating func update(_ value: ReadingValue, at time: Instant) -> Bool {
        switch value {
        case .number(let v):
            lastNumber = v
            for i in spec.levels.indices {
                let level = spec.levels[i]
                if levelOn[i] {
                    if level.hasCleared(v) { levelOn[i] = false }
                } else if level.isPast(v) {
                    let since = levelPendingSince[i] ?? time
                    levelPendingSince[i] = since
                    if time - since >= level.minimumDuration {
                        levelOn[i] = true
                        levelPendingSince[i] = nil
                    }
                } else {
                    levelPendingSince[i] = nil
                }
            }
            if let rise = spec.rateOfRise {
                samples.append(time, v, keeping: rise.window)
                if riseOn {
                    if v < rise.minimum { riseOn = false }
                } else if v >= rise.minimum, let rate = samples.risePerMinute(at: time, value: v),
                    rate >= rise.perMinute
                {
                    riseOn = true
                }
            }
        case .bool(let b):
            if b {
                if !boolOn {
                    let since = boolPendingSince ?? time
                    boolPendingSince = since
                    if time - since >= spec.minimumDuration {
                        boolOn = true
                        boolPendingSince = nil
                    }
                }
            } else {
                boolOn = false
                boolPendingSince = nil
            }
        case .event:
            return false
        }
        return refresh()
    }

    /// Lets minimum durations run out without a new reading; returns true when the signal changed.
    mutating func tick(now: Instant) -> Bool {
        var changed = false
        for i in spec.levels.indices {
            if let since = levelPendingSince[i], now - since >= spec.levels[i].minimumDuration {
                levelOn[i] = true
                levelPendingSince[i] = nil
                changed = true
            }
        }
        if let since = boolPendingSince, now - since >= spec.minimumDuration {
            boolOn = true
            boolPendingSince = nil
            changed = true
        }
        return changed && refresh()
    }

    /// The earliest instant at which `tick` could change something.
    var nextDeadline: Instant? {
        var best: Instant? = nil
        for i in spec.levels.indices {
            if let since = levelPendingSince[i] {
                let d = since + spec.levels[i].minimumDuration
                if best == nil || d < best! { best = d }
            }
        }
        if let since = boolPendingSince {
            let d = since + spec.minimumDuration
            if best == nil || d < best! { best = d }
        }
        return best
    }

    private mutating func refresh() -> Bool {
        var next = ChannelSignal.inactive
        if boolOn {
            next = ChannelSignal(active: true, severity: spec.severity ?? kind.defaultSeverity, reason: "device_alarm")
        }
        for i in spec.levels.indices where levelOn[i] {
            let severity = spec.levels[i].severity
            if !next.active || severity > next.severity {
                next = ChannelSignal(active: true, severity: severity, reason: "threshold")
            }
        }
        if riseOn && !next.active {
            next = ChannelSignal(active: true, severity: kind.defaultSeverity, reason: "rate_of_rise")
        }
        guard next != signal else { return false }
        signal = next
        return true
    }
}

/// The last few samples of a temperature, enough to measure how fast it rises.
struct RecentSamples {
    private var times: [Instant] = []
    private var values: [Double] = []
    /// Bounded whatever the report rate: a chatty sensor cannot grow the engine's memory.
    static let capacity = 64

    mutating func append(_ time: Instant, _ value: Double, keeping window: Interval) {
        var drop = 0
        while drop < times.count, time - times[drop] > window { drop += 1 }
        if times.count - drop >= Self.capacity { drop += 1 }
        if drop > 0 {
            times.removeFirst(drop)
            values.removeFirst(drop)
        }
        times.append(time)
        values.append(value)
    }

    /// The steepest rise from any earlier sample in the window at least 10 s back, in °C/min.
    func risePerMinute(at time: Instant, value: Double) -> Double? {
        var best: Double? = nil
        for k in times.indices {
            let span = time - times[k]
            guard span.milliseconds >= 10_000 else { continue }
            let rate = (value - values[k]) / (Double(span.milliseconds) / 60_000)
            if best == nil || rate > best! { best = rate }
        }
        return best
    }
}
