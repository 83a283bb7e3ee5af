import CampusGuardCore
import Synchronization

/// The answer to one command, handed back across the engine's queue.
public final class CommandReply: Sendable {
    private let state = Mutex<State>(State())

    struct State {
        var result: Result<[Event], EngineError>?
        var waiter: CheckedContinuation<Result<[Event], EngineError>, Never>?
    }

    public init() {}

    func finish(_ result: Result<[Event], EngineError>) {
        let waiter = state.withLock { s in
            s.result = result
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: result)
    }

    /// Waits for the engine's answer: the events the command caused (committed to the store).
    public func value() async -> Result<[Event], EngineError> {
        await withCheckedContinuation { c in
            let ready = state.withLock { s -> Result<[Event], EngineError>? in
                if let r = s.result { return r }
                s.waiter = c
                return nil
            }
            if let ready { c.resume(returning: ready) }
        }
    }
}
