import Logging
import Synchronization

/// Counts bad input by kind and logs it rate-limited: one line per kind per interval, with the
/// topic of the first occurrence and how many more were suppressed.
public final class BadInputLog: Sendable {
    /// The kinds counted: the decoder's, plus retained state messages ignored as stale.
    public static let retainedStale = "retained_stale"
    public static let dropped = "dropped"

    private let logger: Logger
    private let interval: Duration
    private let state = Mutex(State())

    struct State {
        var counts: [String: Int] = [:]
        var lastLogged: [String: ContinuousClock.Instant] = [:]
        var suppressed: [String: Int] = [:]
    }

    public init(logger: Logger, interval: Duration = .seconds(60)) {
        self.logger = logger
        self.interval = interval
    }

    /// Counts one problem and logs it unless a line of its kind went out within the interval.
    public func record(kind: String, topic: String, detail: String, device: String? = nil) {
        let now = ContinuousClock.now
        let suppressed: Int? = state.withLock { s in
            s.counts[kind, default: 0] += 1
            if let last = s.lastLogged[kind], now - last < interval {
                s.suppressed[kind, default: 0] += 1
                return nil
            }
            s.lastLogged[kind] = now
            let n = s.suppressed[kind] ?? 0
            s.suppressed[kind] = 0
            return n
        }
        guard let suppressed else { return }
        var metadata: Logger.Metadata = ["kind": "\(kind)", "topic": "\(topic)"]
        if let device { metadata["device.id"] = "\(device)" }
        if suppressed > 0 { metadata["suppressed"] = "\(suppressed)" }
        logger.warning("bad input ignored: \(detail)", metadata: metadata)
    }

    /// How many of each kind so far.
    public var counts: [String: Int] { state.withLock { $0.counts } }
}
