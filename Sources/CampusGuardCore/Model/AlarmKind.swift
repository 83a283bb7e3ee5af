/// What an alarm is about, in the design's vocabulary.
public enum AlarmKind: String, CaseIterable, Sendable, Hashable {
    /// Confirmed fire: two detectors, smoke and heat, or an unverified smoke alarm.
    case fire
    /// One smoke detector, not yet confirmed.
    case smoke
    case gasLeak = "gas_leak"
    case electricalFireRisk = "electrical_fire_risk"
    case overheat, panic
    /// Offline, communication lost, or a sensor reporting its own fault.
    case deviceFault = "device_fault"
    case tamper
    case lowBattery = "low_battery"

    /// Kinds whose alarm stays active after the condition is gone, until a person resolves it.
    public var latches: Bool {
        switch self {
        case .fire, .smoke, .gasLeak, .panic: true
        case .electricalFireRisk, .overheat, .deviceFault, .tamper, .lowBattery: false
        }
    }

    /// Faults use the `fault.*` event types; everything else `alarm.*`.
    public var isFault: Bool { self == .deviceFault || self == .lowBattery }

    /// The severity the kind has when nothing else decides it.
    public var defaultSeverity: Severity {
        switch self {
        case .fire, .panic: .critical
        case .smoke, .gasLeak, .electricalFireRisk, .overheat: .major
        case .deviceFault, .tamper, .lowBattery: .minor
        }
    }
}

/// How urgent an alarm is: `critical` (fire, panic, high gas), `major`, `minor` (faults, maintenance).
public enum Severity: String, CaseIterable, Sendable, Hashable, Comparable {
    case minor, major, critical

    private var rank: Int {
        switch self {
        case .minor: 0
        case .major: 1
        case .critical: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
