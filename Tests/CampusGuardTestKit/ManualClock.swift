import CampusGuardCore
import Synchronization

/// A clock that moves only when a test moves it, for the daemon's parts that take `clock: () -> Instant`.
public final class ManualClock: Sendable {
    private let current: Mutex<Instant>

    public init(_ start: Instant = testStart) { current = Mutex(start) }

    public var now: Instant { current.withLock { $0 } }

    public func advance(_ interval: Interval) { current.withLock { $0 = $0 + interval } }

    /// The clock as the daemon's parts take it.
    public var function: @Sendable () -> Instant { { self.now } }
}
