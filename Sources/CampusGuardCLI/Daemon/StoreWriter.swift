import CampusGuardCore
import CampusGuardStore
import Logging
import ServiceLifecycle
import Synchronization

/// Carries the engine's readings and events into the store: readings in batches, off the alarm
/// path; events committed when the engine hands them over, before anything acts on them.
///
/// When the store fails (a full disk, a read-only or corrupt file), the daemon goes on: the
/// state turns `degraded` with the reason, events wait in memory and are written when the store
/// works again, readings wait up to a bound (then the oldest are dropped, counted). Alarms are
/// still delivered from memory.
public final class StoreWriter: Service, Sendable {
    public let journal: IntakeJournal?
    private let logger: Logger
    private let clock: @Sendable () -> Instant
    private let retention: RetentionPolicy
    private let state: Mutex<State>
    private let storePath: String

    static let flushInterval = Duration.milliseconds(50)
    static let rowsPerTransaction = 1_000
    static let maxBufferedReadings = 500_000
    static let retentionEvery = Interval.seconds(3_600)
    static let reopenEvery = Interval.seconds(30)
    static let checkpointEvery = Interval.seconds(1)

    struct State {
        var store: Store?
        var readings: [(readings: [Reading], journal: UInt64)] = []
        var bufferedReadings = 0
        var droppedReadings = 0
        var pendingEvents: [(events: [Event], journal: UInt64)] = []
        /// The last journal batch the engine processed.
        var engineProcessed: UInt64 = 0
        /// The engine position last written to the store.
        var engineRecorded: UInt64 = 0
        var health = StoreHealth.ok
        var lastRetention: Instant?
        var lastReopen: Instant?
        var lastCheckpoint: Instant?
        var lastDegradedLog: Instant?
    }

    public init(
        store: Store?,
        storePath: String,
        journal: IntakeJournal?,
        retention: RetentionPolicy,
        logger: Logger,
        clock: @escaping @Sendable () -> Instant
    ) {
        self.journal = journal
        self.logger = logger
        self.clock = clock
        self.retention = retention
        self.storePath = storePath
        var s = State(store: store)
        if store == nil { s.health = .degraded("store unavailable") }
        self.state = Mutex(s)
    }

    /// The store's state for health checks and status lines.
    public var health: StoreHealth { state.withLock { $0.health } }
    public var store: Store? { state.withLock { $0.store } }
    /// Where the store's file is (or would be, while it cannot be opened).
    public var path: String { storePath }
    public var droppedReadings: Int { state.withLock { $0.droppedReadings } }
    public var bufferedReadings: Int { state.withLock { $0.bufferedReadings } }

    /// Queues readings (from journal batch `journal`) for the next batch write.
    public func add(_ readings: [Reading], journal sequence: UInt64) {
        guard !readings.isEmpty || sequence > 0 else { return }
        state.withLock { s in
            s.readings.append((readings, sequence))
            s.bufferedReadings += readings.count
            while s.bufferedReadings > Self.maxBufferedReadings, !s.readings.isEmpty {
                let oldest = s.readings.removeFirst()
                s.bufferedReadings -= oldest.readings.count
                s.droppedReadings += oldest.readings.count
            }
        }
    }

    /// Commits the engine's events, made after processing journal batch `journal`; their row
    /// ids, or nil when the store could not take them (they wait in memory and are retried).
    @discardableResult
    public func commit(_ events: [Event], journal sequence: UInt64) async -> [Int64]? {
        let (store, waiting) = state.withLock { s in (s.store, !s.pendingEvents.isEmpty) }
        if let store, !waiting {
            do {
                return try await store.append(events: events, journalThrough: sequence > 0 ? sequence : nil)
            } catch {
                failed(error, doing: "events")
            }
        }
        state.withLock { s in s.pendingEvents.append((events, sequence)) }
        return nil
    }

    /// The engine has processed journal batches up to `sequence` (their events handed to `commit`).
    public func engineProcessed(through sequence: UInt64) {
        state.withLock { s in s.engineProcessed = max(s.engineProcessed, sequence) }
    }

    /// How far the engine's work is safely in the store: up to its last processed batch, or to
    /// just before the first batch whose events still wait.
    private static func engineThrough(_ s: State) -> UInt64 {
        guard let first = s.pendingEvents.first(where: { $0.journal > 0 }) else { return s.engineProcessed }
        return first.journal - 1
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                try? await Task.sleep(for: Self.flushInterval)
                await flush()
                await maintain()
            }
        } onGracefulShutdown: {
        }
        // The engine stopped before this (services stop in reverse order): write what is left.
        await flush()
        let left = state.withLock { $0.bufferedReadings + $0.pendingEvents.count }
        if left > 0 {
            logger.error("store: could not write everything before stopping", metadata: ["rows": "\(left)"])
        }
    }

    /// Writes the pending events, then the buffered readings, a bounded transaction at a time.
    func flush() async {
        guard let store = state.withLock({ $0.store }) else { return }
        while let (events, sequence) = state.withLock({ $0.pendingEvents.first }) {
            do {
                _ = try await store.append(events: events, journalThrough: sequence > 0 ? sequence : nil)
                state.withLock { s in _ = s.pendingEvents.removeFirst() }
            } catch {
                failed(error, doing: "events")
                return
            }
        }
        while true {
            let (chunk, engineThrough) = state.withLock { s in
                var n = 0
                var k = 0
                while k < s.readings.count, n < Self.rowsPerTransaction {
                    n += s.readings[k].readings.count
                    k += 1
                }
                return (Array(s.readings.prefix(k)), Self.engineThrough(s))
            }
            guard !chunk.isEmpty else {
                let recorded = state.withLock { $0.engineRecorded }
                if engineThrough > recorded {
                    do {
                        try await store.recordEnginePosition(engineThrough)
                        state.withLock { $0.engineRecorded = engineThrough }
                    } catch {
                        failed(error, doing: "the engine's position")
                        return
                    }
                }
                break
            }
            let rows = chunk.flatMap(\.readings)
            let through = chunk.map(\.journal).max() ?? 0
            do {
                try await store.append(
                    readings: rows,
                    journalThrough: through > 0 ? through : nil,
                    engineThrough: engineThrough > 0 ? engineThrough : nil
                )
            } catch {
                failed(error, doing: "readings")
                return
            }
            state.withLock { s in
                s.readings.removeFirst(chunk.count)
                s.bufferedReadings -= rows.count
                s.engineRecorded = max(s.engineRecorded, engineThrough)
            }
        }
        recovered()
    }

    /// Retention, journal clean-up and, while degraded, reopening the store.
    func maintain() async {
        let now = clock()
        let (store, due, reopen) = state.withLock { s in
            let due = s.lastRetention.map { now - $0 >= Self.retentionEvery } ?? true
            if due { s.lastRetention = now }
            let reopen = s.store == nil && (s.lastReopen.map { now - $0 >= Self.reopenEvery } ?? true)
            if reopen { s.lastReopen = now }
            return (s.store, due, reopen)
        }
        if reopen { self.reopen() }
        guard let store else { return }
        let checkpointDue = state.withLock { s in
            let due = s.lastCheckpoint.map { now - $0 >= Self.checkpointEvery } ?? true
            if due { s.lastCheckpoint = now }
            return due
        }
        if checkpointDue {
            do { try await store.checkpoint() } catch { failed(error, doing: "a checkpoint") }
        }
        if due {
            do {
                let report = try await store.applyRetention(retention, now: now)
                if report.deletedByAge + report.deletedBySize > 0 || report.overCapWithoutReadings {
                    logger.notice(
                        "store: retention",
                        metadata: [
                            "deleted_by_age": "\(report.deletedByAge)", "deleted_by_size": "\(report.deletedBySize)",
                            "bytes": "\(report.usedBytes)", "over_cap": "\(report.overCapWithoutReadings)",
                        ]
                    )
                }
            } catch {
                failed(error, doing: "retention")
            }
        }
        if let journal, let positions = try? store.journalPositions() {
            journal.release(through: min(positions.readings, positions.engine))
        }
    }

    private func reopen() {
        do {
            let store = try Store(path: storePath, manualCheckpoints: true)
            state.withLock { $0.store = store }
            logger.notice("store: opened", metadata: ["path": "\(storePath)"])
        } catch {
            failed(error, doing: "opening")
        }
    }

    private func failed(_ error: any Error, doing what: String) {
        let reason = (error as? StoreError).map { "\($0.condition): \($0)" } ?? "\(error)"
        let now = clock()
        let log = state.withLock { s -> Bool in
            // A new condition (`disk_full`, `read_only`, …) is news; the same one writing another
            // number of rows is not.
            let changed: Bool =
                switch s.health {
                case .ok: true
                case .degraded(let old): old.prefix { $0 != ":" } != reason.prefix { $0 != ":" }
                }
            s.health = .degraded(reason)
            let quiet = s.lastDegradedLog.map { now - $0 < .seconds(60) } ?? false
            if changed || !quiet { s.lastDegradedLog = now }
            return changed || !quiet
        }
        if log {
            logger.error(
                "store degraded: alarms are still processed and delivered from memory",
                metadata: [
                    "writing": "\(what)", "reason": "\(reason)", "path": "\(storePath)",
                    "buffered_readings": "\(bufferedReadings)", "dropped_readings": "\(droppedReadings)",
                ]
            )
        }
    }

    private func recovered() {
        let was = state.withLock { s -> StoreHealth in
            defer { s.health = .ok }
            return s.health
        }
        if case .degraded = was {
            logger.notice(
                "store recovered",
                metadata: ["path": "\(storePath)", "dropped_readings": "\(droppedReadings)"]
            )
        }
    }
}

/// The store's state as health checks report it.
public enum StoreHealth: Sendable, Hashable, CustomStringConvertible {
    case ok
    /// Writes fail; why, in words (`disk_full: writing 1000 readings: database or disk is full`).
    case degraded(String)

    public var description: String {
        switch self {
        case .ok: "ok"
        case .degraded(let reason): "degraded (\(reason))"
        }
    }
}
