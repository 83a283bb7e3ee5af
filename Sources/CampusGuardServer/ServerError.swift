import CampusGuardCore
import Hummingbird

/// What went wrong in the HTTP API: an answer to a request (`{"error": …, "reason": …}` with
/// its status), or a setting the server cannot start with.
public struct ServerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The HTTP status the answer carries.
    public var status: HTTPResponse.Status
    /// One machine-readable word: `unauthorized`, `forbidden`, `unknown_alarm`, …
    public var error: String
    /// What happened and what to do, in plain words.
    public var reason: String

    public init(_ status: HTTPResponse.Status, _ error: String, _ reason: String) {
        self.status = status
        self.error = error
        self.reason = reason
    }

    public var description: String { "\(error): \(reason)" }

    // MARK: - Answers

    static let unauthorized = ServerError(
        .unauthorized,
        "unauthorized",
        "send an API token as `Authorization: Bearer TOKEN` (campusguard token add)"
    )

    static func forbidden(_ token: APIToken, needs permission: APIRole.Permission) -> ServerError {
        ServerError(
            .forbidden,
            "forbidden",
            "token \(token.name) has role \(token.role.rawValue), which may not \(permission.words)"
        )
    }

    static func badBody(_ reason: String) -> ServerError {
        ServerError(.unprocessableContent, "bad_request_body", reason)
    }

    static let stopping = ServerError(
        .serviceUnavailable,
        "stopping",
        "the daemon is stopping; try again when it is back"
    )

    static func badQuery(_ reason: String) -> ServerError {
        ServerError(.unprocessableContent, "bad_query", reason)
    }

    static func unknownDevice(_ id: String) -> ServerError {
        ServerError(.notFound, "unknown_device", "no device \(id) in the config")
    }

    static func unknownDrill(_ id: String) -> ServerError {
        ServerError(.notFound, "unknown_drill", "no drill \(id) in the drill log")
    }

    static func storeUnavailable(_ reason: String) -> ServerError {
        ServerError(.serviceUnavailable, "store_unavailable", reason)
    }

    /// The engine's refusal, as an HTTP answer.
    static func refused(_ error: CommandError) -> ServerError {
        switch error {
        case .stopped: return .stopping
        case .refused(let e):
            switch e {
            case .unknownAlarm: return ServerError(.notFound, "unknown_alarm", e.description)
            case .unknownDevice: return ServerError(.notFound, "unknown_device", e.description)
            case .conditionStillPresent: return ServerError(.conflict, "condition_still_present", e.description)
            case .panicButtonCannotBeDisabled:
                return ServerError(.unprocessableContent, "panic_button", e.description)
            }
        }
    }

    // MARK: - Start

    static func setting(_ reason: String) -> ServerError { ServerError(.internalServerError, "config", reason) }
}

extension ServerError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var w = JSONObjectWriter()
        w.string("error", error)
        w.string("reason", reason)
        return Response.json(w.finish(), status: status)
    }
}
