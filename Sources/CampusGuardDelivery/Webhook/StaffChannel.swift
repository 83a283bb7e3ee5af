import CampusGuardCore

/// A way to reach staff: one configured webhook or group robot.
///
/// The escalation code holds channels as `any StaffChannel` and hands them one notice at a
/// time. A channel makes one attempt and reports how it went; it never retries by itself: the
/// caller retries from its durable outbox, with its own backoff, after a restart too.
public protocol StaffChannel: Sendable {
    /// The channel's id from the config (`channels[].id`).
    var id: String { get }
    /// Sends the notice once and says what happened. Never throws: every failure is an outcome.
    func deliver(_ notice: StaffNotice) async -> DeliveryOutcome
}

/// How one attempt to deliver a notice went.
public enum DeliveryOutcome: Sendable, Hashable {
    /// The receiver took it: its HTTP status, and the time from sending to the end of the answer.
    case sent(status: Int, latency: Duration)
    /// Worth trying again later: a timeout, a refused connection, HTTP 408, 429 or 5xx, or a
    /// robot's "too many messages" code.
    case retryable(reason: String)
    /// Trying again would get the same answer: another 4xx, or a robot's error code (a wrong
    /// signature, a missing keyword). The config needs fixing; the reason says what the receiver said.
    case rejected(reason: String)

    public var isSent: Bool {
        if case .sent = self { return true }
        return false
    }
}
