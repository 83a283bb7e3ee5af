/// What a token may do: `viewer` reads, `duty` also acknowledges and resolves alarms,
/// `maintenance` also puts devices in maintenance, `admin` may do everything.
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
        /// Drills, and everything else.
        case administer

        var words: String {
            switch self {
            case .read: "read"
            case .respond: "acknowledge or resolve alarms"
            case .maintain: "change maintenance mode"
            case .administer: "do this (admin only)"
            }
        }
    }

    public func permits(_ permission: Permission) -> Bool {
        switch (self, permission) {
        case (.admin, _), (_, .read): true
        case (.duty, .respond), (.maintenance, .maintain): true
        default: false
        }
    }
}
