/// One alarm level of a numeric channel: at or above (or at or below) a limit, held for a time.
public struct ThresholdLevel: Hashable, Sendable {
    public enum Direction: String, Sendable, Hashable {
        case above, below
    }

    public var direction: Direction
    public var limit: Double
    public var severity: Severity
    /// How long the value must stay past the limit before the level counts.
    public var minimumDuration: Interval
    /// How far back past the limit the value must go before the level clears.
    public var hysteresis: Double

    public init(
        direction: Direction,
        limit: Double,
        severity: Severity,
        minimumDuration: Interval = .zero,
        hysteresis: Double = 0
    ) {
        self.direction = direction
        self.limit = limit
        self.severity = severity
        self.minimumDuration = minimumDuration
        self.hysteresis = hysteresis
    }

    /// Whether `value` is past the limit, for a level that is not on yet.
    @inline(__always)
    public func isPast(_ value: Double) -> Bool {
        direction == .above ? value >= limit : value <= limit
    }

    /// Whether a level that is on has come back far enough to clear.
    @inline(__always)
    public func hasCleared(_ value: Double) -> Bool {
        direction == .above ? value < limit - hysteresis : value > limit + hysteresis
    }
}

/// Temperature rate-of-rise (heat detector logic, EN 54-5 class …R).
public struct RateOfRise: Hashable, Sendable {
    /// °C per minute.
    public var perMinute: Double
    /// The rise counts only at or above this temperature.
    public var minimum: Double
    /// How far back the rise is measured.
    public var window: Interval

    public init(perMinute: Double, minimum: Double, window: Interval) {
        self.perMinute = perMinute
        self.minimum = minimum
        self.window = window
    }
}

/// The limits of one channel: levels for numbers, a severity for booleans, rate-of-rise for heat.
public struct ThresholdSpec: Hashable, Sendable {
    public var levels: [ThresholdLevel]
    /// For bool channels: the severity of the alarm when the channel is true.
    public var severity: Severity?
    /// For bool channels: how long the channel must stay true before it counts.
    public var minimumDuration: Interval
    public var rateOfRise: RateOfRise?
    /// The alarm kind raised, where the channel's default does not fit.
    public var kind: AlarmKind?

    public init(
        levels: [ThresholdLevel] = [],
        severity: Severity? = nil,
        minimumDuration: Interval = .zero,
        rateOfRise: RateOfRise? = nil,
        kind: AlarmKind? = nil
    ) {
        self.levels = levels
        self.severity = severity
        self.minimumDuration = minimumDuration
        self.rateOfRise = rateOfRise
        self.kind = kind
    }
}
