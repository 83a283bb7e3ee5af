import CampusGuardCore
import CampusGuardDelivery

/// The delivery service's working state, owned by its run loop: the planner and the
/// deliveries not yet sent.
struct DeliveryWork {
    var planner: EscalationPlanner
    /// What each alarm reported to the police, so that its restore closes exactly that.
    var contactID: ContactIDMapping
    var pending: [String: DeliveryJob] = [:]
    var inFlight: Set<String> = []

    /// Pending deliveries due by `now`, not already being attempted: the police link first,
    /// then by due time.
    func due(at now: Instant, limit: Int) -> [DeliveryJob] {
        guard limit > 0 else { return [] }
        let ready = pending.values.filter { $0.due <= now && !inFlight.contains($0.id) }
        return Array(
            ready.sorted { a, b in
                if a.isPolice != b.isPolice { return a.isPolice }
                return (a.due, a.id) < (b.due, b.id)
            }.prefix(limit)
        )
    }
}
