import CampusGuardCore
import CampusGuardDelivery

/// A configured channel that cannot deliver (its secret file is missing or unreadable): the
/// daemon still starts, so that the other channels and the police link work, and every
/// delivery to this one fails with the reason, as an event and in the log.
struct UnusableChannel: StaffChannel {
    let id: String
    let reason: String

    func deliver(_ notice: StaffNotice) async -> DeliveryOutcome { .rejected(reason: reason) }
}
