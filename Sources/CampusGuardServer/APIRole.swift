/// What a token may do: `viewer` reads, `duty` also acknowledges and resolves alarms,
/// `maintenance` also puts devices in maintenance and records hazard tickets and inspections,
/// `admin` may do everything.
public enum APIRole: String, CaseIterable, Sendable, Hashable {
    case viewer, duty, maintenance, admin

    /// One kind of request a role may or may not make.
    public enum Permission: Sendable, Hashable {
        /// Alarms, devices, health.
        case read
        /// Acknowledge and resolve alarms.
        case respond
        /// Put devices in maintenance mode and take them out.
        case maintain
        /// Open hazard tickets, add their steps, record inspections.
        case inspect
        /// Drills, and everything else.
        case administer

        var words: String {
            switch self {
            case .read: "read"
            case .respond: "acknowledge or resolve alarms"
            case .maintain: "change maintenance mode"
            case .inspect: "record hazard tickets or inspections (maintenance or admin)"
            case .administer: "do this (admin only)"
            }
        }
    }

    public func permits(_ permission: Permission) -> Bool {
        switch (self, permission) {
        case (.admin, _), (_, .read): true
        case (.duty, .respond), (.maintenance, .maintain), (.maintenance, .inspect): true
        default: false
        }
    }
}
