import CampusGuardCore
import Synchronization

/// The campus the daemon runs by: the one it started with, then each reload's.
public final class RunningConfig: Sendable {
    private let state: Mutex<Campus>

    public init(_ campus: Campus) { state = Mutex(campus) }

    public var campus: Campus { state.withLock { $0 } }

    func replace(with campus: Campus) { state.withLock { $0 = campus } }
}
