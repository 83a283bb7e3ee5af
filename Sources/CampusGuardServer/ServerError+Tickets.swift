import CampusGuardStore
import Hummingbird

extension ServerError {
    /// A store's refusal or failure as an HTTP answer: unknown ticket 404, a step out of the
    /// loop 409 `bad_transition`, the rectifier verifying 409 `verifier_is_rectifier`, a bad
    /// field 422, a failing store 503.
    static func storeRefusal(_ error: StoreError) -> ServerError {
        switch error.refusal {
        case .unknownTicket: ServerError(.notFound, "unknown_ticket", error.message)
        case .badTransition: ServerError(.conflict, "bad_transition", error.message)
        case .verifierIsRectifier: ServerError(.conflict, "verifier_is_rectifier", error.message)
        case .invalid: .badBody(error.message)
        case nil: .storeUnavailable("the store cannot do it now: \(error)")
        }
    }

    /// A query parameter that is not valid.
    static func badTicketQuery(_ reason: String) -> ServerError {
        ServerError(.unprocessableContent, "bad_query", reason)
    }

    static func unknownInspectedDevice(_ id: String) -> ServerError {
        ServerError(.notFound, "unknown_device", "no device \(id) in the site's config")
    }
}
