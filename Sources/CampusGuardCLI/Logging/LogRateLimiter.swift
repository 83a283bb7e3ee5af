import Synchronization

/// Holds back repeats: the same label, level and message more than `limit` times within
/// `window` are suppressed until the window ends; the next one after it is logged with the
/// number suppressed, in a line of its own before it.
public final class LogRateLimiter: Sendable {
    /// What to do with one entry.
    public enum Decision: Equatable, Sendable {
        /// Log it; `suppressed` repeats were held back before it (0: none).
        case log(suppressed: Int)
        case suppress
    }

    public let limit: Int
    public let window: Duration
    private let entries = Mutex<[String: Entry]>([:])
    /// Past this many distinct messages, those whose window has ended are forgotten.
    static let maxKeys = 4_096

    struct Entry {
        var start: ContinuousClock.Instant
        var count: Int
        var suppressed: Int
    }

    private let clock: @Sendable () -> ContinuousClock.Instant

    public init(
        limit: Int = 10,
        window: Duration = .seconds(60),
        clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.limit = limit
        self.window = window
        self.clock = clock
    }

    /// Whether an entry with this key (label, level and message) is logged now.
    public func admit(_ key: String) -> Decision {
        let now = clock()
        return entries.withLock { entries in
            guard var e = entries[key], now - e.start < window else {
                let held = entries[key]?.suppressed ?? 0
                if entries.count >= Self.maxKeys {
                    entries = entries.filter { now - $0.value.start < window }
                }
                entries[key] = Entry(start: now, count: 1, suppressed: 0)
                return .log(suppressed: held)
            }
            e.count += 1
            defer { entries[key] = e }
            guard e.count > limit else { return .log(suppressed: 0) }
            e.suppressed += 1
            return .suppress
        }
    }
}
