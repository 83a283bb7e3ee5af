/// The state of an alarm as people see it.
public enum AlarmState: String, Sendable, Hashable {
    case raised, acknowledged
    /// The condition is gone; a latching alarm waits for a person to resolve it.
    case cleared
    case resolved
}

/// One alarm or fault the engine keeps open: an incident in a room, a device, a building or a bridge.
public struct Alarm: Sendable, Hashable {
    public let id: String
    public internal(set) var kind: AlarmKind
    public internal(set) var severity: Severity
    public let location: String
    public internal(set) var devices: [String]
    public let test: Bool
    public let raisedAt: Instant
    public internal(set) var acknowledgedAt: Instant?
    public internal(set) var acknowledgedBy: String?
    /// When the condition went away; nil while it holds.
    public internal(set) var clearedAt: Instant?
    public internal(set) var reason: String
    /// Number of presses, for a panic button.
    public internal(set) var presses: Int = 0

    /// Moved to a scope of its own by a reconfiguration that removes its device.
    var group: AlarmGroup
    /// A single smoke alarm becomes fire at this instant unless a person acts first.
    var verificationDeadline: Instant?

    public var state: AlarmState {
        if clearedAt != nil { return .cleared }
        if acknowledgedAt != nil { return .acknowledged }
        return .raised
    }
}

/// What alarms are grouped by: one open alarm per scope and family, tests apart from real ones.
struct AlarmGroup: Hashable {
    enum Scope: Hashable {
        case room(LocationPath)
        case device(Int)
        case building(String)
        case bridge(String)
    }

    enum Family: Hashable {
        /// smoke, overheat and fire: one incident per room, upgraded as evidence comes.
        case fire
        case gas, electrical, panic, tamper, battery, sensorFault, offline
    }

    var scope: Scope
    var family: Family
    var test: Bool

    static func family(of kind: AlarmKind) -> Family {
        switch kind {
        case .fire, .smoke, .overheat: .fire
        case .gasLeak: .gas
        case .electricalFireRisk: .electrical
        case .panic: .panic
        case .tamper: .tamper
        case .lowBattery: .battery
        case .deviceFault: .sensorFault
        }
    }

    /// Room-wide families are correlated across devices; the others belong to one device.
    static func isRoomWide(_ family: Family) -> Bool {
        family == .fire || family == .gas || family == .electrical
    }
}
