import CampusGuardCore
import CampusGuardStore
import Synchronization

/// Where the sources hand their batches: each is written to the intake journal, then queued for
/// the engine, in one step, so that journal order is engine order.
///
/// A QoS 1 message the broker delivers again (after a reconnect or a restart, when the
/// gateway's acknowledgement was lost) is recognised by its redelivery key and taken once.
public final class Intake: Sendable {
    public let inbox: GatewayInbox
    public let journal: IntakeJournal?
    private let state: Mutex<RecentKeys>

    /// The keys of the last `capacity` MQTT messages, oldest first out.
    struct RecentKeys {
        var set: Set<UInt64> = []
        var ring: [UInt64] = []
        var next = 0
        var redelivered = 0
        let capacity: Int

        /// False when `key` is among the recent ones (a redelivery); remembers it otherwise.
        mutating func insert(_ key: UInt64) -> Bool {
            guard set.insert(key).inserted else { return false }
            if ring.count < capacity {
                ring.append(key)
            } else {
                set.remove(ring[next])
                ring[next] = key
                next = (next + 1) % capacity
            }
            return true
        }
    }

    /// Message ids are assigned by the broker in sequence and wrap at 65,535: within this many
    /// messages a key repeats only for a redelivered message.
    static let recentCapacity = 4_096

    public init(inbox: GatewayInbox, journal: IntakeJournal?) {
        self.inbox = inbox
        self.journal = journal
        self.state = Mutex(RecentKeys(capacity: Self.recentCapacity))
    }

    /// Remembers the keys of batches taken before a restart (from the journal).
    public func remember(_ batch: SourceBatch) {
        guard let key = batch.redeliveryKey else { return }
        state.withLock { _ = $0.insert(key) }
    }

    /// Journals and queues a batch; false when the queue dropped a routine batch (it stays in
    /// the journal, and reaches the store after a restart).
    @discardableResult
    public func push(_ batch: SourceBatch) -> Bool {
        state.withLock { s in
            if let key = batch.redeliveryKey, !s.insert(key) {
                s.redelivered += 1
                return true
            }
            let sequence = journal?.append(batch) ?? 0
            return inbox.push(.batch(batch, journal: sequence))
        }
    }

    /// Messages recognised as a broker's redelivery and skipped.
    public var redeliveredCount: Int { state.withLock { $0.redelivered } }
}
