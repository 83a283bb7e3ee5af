import CampusGuardCore
import Synchronization

/// The queue between the sources' threads and the engine: pushing never blocks, and the
/// engine drains it in batches.
///
/// It is bounded for routine messages: past `capacity` they are dropped and counted. A batch
/// that bears an alarm is always taken, past the bound if need be: a flood of routine readings
/// must never cost a fire alarm.
public final class GatewayInbox: Sendable {
    public enum Item: Sendable {
        /// A source's batch, with its intake journal sequence number (0 when not journaled).
        case batch(SourceBatch, journal: UInt64 = 0)
        case tick(Instant)
        /// A person's command; answered through `reply` once its events are committed.
        case command(EngineCommand, reply: CommandReply)
        /// A reloaded config: what came before it is judged by the old campus, what comes
        /// after by the new one. Answered through `reply` once its events are committed.
        case reconfigure(Campus, reply: CommandReply)

        public var isTick: Bool {
            if case .tick = self { return true }
            return false
        }

        public var isAlarmBearing: Bool {
            if case .batch(let b, _) = self { return b.alarmBearing }
            return false
        }
    }

    public let capacity: Int
    private let state = Mutex(State())

    struct State {
        var items: [Item] = []
        var waiter: CheckedContinuation<Void, Never>?
        var closed = false
        var dropped = 0
        var overCapacityAlarms = 0
    }

    public init(capacity: Int = 65_536) { self.capacity = capacity }

    /// Adds an item; false when a routine batch was dropped because the queue is full.
    @discardableResult
    public func push(_ item: Item) -> Bool {
        let (accepted, waiter): (Bool, CheckedContinuation<Void, Never>?) = state.withLock { s in
            guard !s.closed else { return (false, nil) }
            if s.items.count >= capacity {
                switch item {
                case .batch(let b, _) where !b.alarmBearing:
                    s.dropped += 1
                    return (false, nil)
                case .batch:
                    s.overCapacityAlarms += 1
                case .tick:
                    // A tick is only a wake-up; a full queue wakes the engine anyway.
                    return (true, nil)
                case .command, .reconfigure:
                    // People's commands and reloads are few and always taken.
                    break
                }
            }
            s.items.append(item)
            let w = s.waiter
            s.waiter = nil
            return (true, w)
        }
        waiter?.resume()
        return accepted
    }

    /// Everything queued, oldest first, waiting until there is something; nil once closed and empty.
    public func next() async -> [Item]? {
        while true {
            let taken: [Item]? = state.withLock { s in
                if !s.items.isEmpty {
                    defer { s.items.removeAll(keepingCapacity: true) }
                    return s.items
                }
                return s.closed ? [] : nil
            }
            if let taken { return taken.isEmpty ? nil : taken }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s in
                    if !s.items.isEmpty || s.closed { return true }
                    s.waiter = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
    }

    /// No more items are taken; `next()` returns what is left, then nil.
    public func close() {
        let waiter = state.withLock { s in
            s.closed = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    public var droppedCount: Int { state.withLock { $0.dropped } }
    public var alarmsOverCapacity: Int { state.withLock { $0.overCapacityAlarms } }
}
