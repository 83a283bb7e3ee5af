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

/// What the intake journal holds that the store had not fully committed when the daemon
/// stopped: read before the sources start, so that a message the broker delivers again at once
/// is already known.
public struct JournalRecovery: Sendable {
    /// Journal batches after the store's lower position, in order.
    public var batches: [(UInt64, SourceBatch)] = []
    public var readingsThrough: UInt64 = 0
    public var engineThrough: UInt64 = 0

    /// Reads the journal against the store's positions and teaches `intake` every MQTT message
    /// key it holds; nil when there is no journal, or no store to compare with (the journal is
    /// then kept for a later start).
    public static func load(journal: IntakeJournal?, store: Store?, intake: Intake) -> JournalRecovery? {
        guard let journal, let store, let positions = try? store.journalPositions() else { return nil }
        var recovery = JournalRecovery(readingsThrough: positions.readings, engineThrough: positions.engine)
        let from = min(positions.readings, positions.engine)
        journal.records(after: 0) { sequence, batch in
            intake.remember(batch)
            if sequence > from { recovery.batches.append((sequence, batch)) }
        }
        return recovery
    }
}
