import CampusGuardCore
import CampusGuardStore
import Logging
import ServiceLifecycle
import Synchronization

/// Runs the engine: drains the inbox, feeds readings and the passing of time, and hands every
/// event to the outputs. The only place the engine lives; nothing else touches it.
public final class EngineService: Service, CommandHandler, Sendable {
    public let inbox: GatewayInbox
    private let recovery: JournalRecovery?
    private let writer: StoreWriter?
    private let campus: Campus
    let logger: Logger
    let clock: @Sendable () -> Instant
    private let output: @Sendable ([Event]) -> Void
    private let tickInterval: Duration
    private let published = Mutex(Published())

    /// What the engine last published: the board, and when its loop last went round.
    struct Published {
        var board = EngineBoard.empty
        var loopAt: ContinuousClock.Instant?
    }

    public init(
        campus: Campus,
        inbox: GatewayInbox,
        recovery: JournalRecovery? = nil,
        writer: StoreWriter? = nil,
        logger: Logger,
        clock: @escaping @Sendable () -> Instant,
        tickInterval: Duration = .seconds(1),
        output: @escaping @Sendable ([Event]) -> Void
    ) {
        self.campus = campus
        self.inbox = inbox
        self.recovery = recovery
        self.writer = writer
        self.logger = logger
        self.clock = clock
        self.tickInterval = tickInterval
        self.output = output
    }

    /// A drain smaller than this is followed by a nap of `nap` before the next one.
    static let burst = 64
    static let nap = Duration.microseconds(250)

    public func run() async throws {
        let firstSequence = (try? writer?.store?.nextAlarmSequence()) ?? 1
        var engine = AlarmEngine(campus: campus, startedAt: clock(), firstSequence: firstSequence)
        if let store = writer?.store {
            do {
                let open = try store.openAlarms()
                engine.restore(open)
                if !open.isEmpty {
                    logger.notice("open alarms taken back from the store", metadata: ["alarms": "\(open.count)"])
                }
            } catch {
                logger.error("cannot read open alarms from the store", metadata: ["reason": "\(error)"])
            }
            restoreMaintenance(&engine, from: store)
        }
        await recover(&engine)
        publish(engine)
        let inbox = self.inbox
        let clock = self.clock
        let tickInterval = self.tickInterval
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    // The engine's timers (supervision, verification, durations) run on these ticks.
                    while !Task.isCancelled {
                        try? await Task.sleep(for: tickInterval)
                        inbox.push(.tick(clock()))
                    }
                }
                while let items = await inbox.next() {
                    var events: [Event] = []
                    var processed: UInt64 = 0
                    var replies: [(CommandReply, Result<[Event], EngineError>)] = []
                    for item in items {
                        switch item {
                        case .tick(let now):
                            events += engine.tick(now: now)
                        case .command(let command, let reply):
                            let now = clock()
                            // Timers due first, so a command sees the engine as of now.
                            events += engine.tick(now: now)
                            do throws(EngineError) {
                                let caused = try engine.perform(command, at: now)
                                events += caused
                                replies.append((reply, .success(caused)))
                            } catch {
                                replies.append((reply, .failure(error)))
                            }
                        case .reconfigure(let campus, let reply):
                            let now = clock()
                            events += engine.tick(now: now)
                            let caused = engine.reconfigure(campus, at: now)
                            events += caused
                            replies.append((reply, .success(caused)))
                        case .batch(let batch, let sequence):
                            // Timers run on the ticks (every second), not per batch: a tick scans
                            // every device, and batches come thousands of times a second.
                            events += Self.feed(batch, to: &engine)
                            writer?.add(batch.readings, journal: sequence)
                            processed = max(processed, sequence)
                        }
                    }
                    if !events.isEmpty {
                        for e in events { log(e) }
                        // Committed before anything acts on them; a failing store keeps them in
                        // memory and they are still acted on.
                        await writer?.commit(events, journal: processed)
                        output(events)
                    }
                    if !replies.isEmpty || items.contains(where: \.isTick) { publish(engine) }
                    for (reply, result) in replies { reply.finish(result) }
                    if processed > 0 { writer?.engineProcessed(through: processed) }
                    // Woken for a few routine messages, let more gather before draining again:
                    // every wake-up costs the sources' threads CPU (on 2 cores, more than the
                    // engine's work for one message). After an alarm-bearing batch, or when
                    // busy, drain again at once; an alarm waits at most this nap.
                    if items.count < Self.burst && !items.contains(where: \.isAlarmBearing) && replies.isEmpty {
                        try? await Task.sleep(for: Self.nap)
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            inbox.close()
        }
        logger.info("engine stopped", metadata: ["open_alarms": "\(engine.openAlarms.count)"])
    }

    /// Every device's state and the open alarms, as of the engine's last tick (once a second)
    /// or command; `EngineBoard.empty` before the engine has started.
    public var board: EngineBoard { published.withLock { $0.board } }

    /// When the engine's loop last went round (it does at least once a second, on its tick);
    /// nil before it has started. A stuck engine stops moving this: systemd's watchdog uses it.
    public var lastLoop: ContinuousClock.Instant? { published.withLock { $0.loopAt } }

    private func publish(_ engine: AlarmEngine) {
        let board = engine.board(at: clock())
        let now = ContinuousClock.now
        published.withLock {
            $0.board = board
            $0.loopAt = now
        }
    }

    /// Hands a person's command to the engine and waits for its events (committed to the store
    /// and handed to the outputs) or its refusal.
    public func perform(_ command: EngineCommand) async throws(CommandError) -> [Event] {
        let reply = CommandReply()
        guard inbox.push(.command(command, reply: reply)) else { throw .stopped }
        switch await reply.value() {
        case .success(let events): return events
        case .failure(let error): throw .refused(error)
        }
    }

    /// Switches the engine to a reloaded config between two inbox items: readings queued
    /// before are judged by the old campus, readings queued after by the new one. Returns the
    /// events the switch caused, once committed.
    public func reconfigure(_ campus: Campus) async throws(CommandError) -> [Event] {
        let reply = CommandReply()
        guard inbox.push(.reconfigure(campus, reply: reply)) else { throw .stopped }
        switch await reply.value() {
        case .success(let events): return events
        case .failure(let error): throw .refused(error)
        }
    }

    /// One of the gateway's outward links changed state (called from the link's thread).
    public func linkChanged(_ name: String, up: Bool, detail: String?) {
        inbox.push(.command(.link(name: name, up: up, detail: detail), reply: CommandReply()))
    }

    static func feed(_ batch: SourceBatch, to engine: inout AlarmEngine) -> [Event] {
        var events: [Event] = []
        if let state = batch.bridgeState { events += engine.bridge(state, at: batch.receivedAt) }
        for reading in batch.readings { events += engine.ingest(reading, at: batch.receivedAt) }
        return events
    }

    /// After a restart: takes again every journal batch the store had not fully committed
    /// before the daemon stopped (a `kill -9`, a power cut): its readings into the store, and,
    /// when its events were not committed, through the engine.
    private func recover(_ engine: inout AlarmEngine) async {
        guard let writer, let recovery else { return }
        var events: [Event] = []
        var last: UInt64 = 0
        var batches = 0
        for (sequence, batch) in recovery.batches {
            batches += 1
            last = sequence
            if sequence > recovery.readingsThrough { writer.add(batch.readings, journal: sequence) }
            if sequence > recovery.engineThrough { events += Self.feed(batch, to: &engine) }
        }
        guard batches > 0 else { return }
        logger.notice(
            "recovered batches from the intake journal",
            metadata: ["batches": "\(batches)", "events": "\(events.count)", "through": "\(last)"]
        )
        for e in events { log(e) }
        await writer.commit(events, journal: last)
        if !events.isEmpty { output(events) }
        writer.engineProcessed(through: last)
    }

    private func log(_ e: Event) {
        var metadata: Logger.Metadata = [
            "event": "\(e.type.rawValue)", "kind": "\(e.kind.rawValue)", "severity": "\(e.severity.rawValue)",
            "location": "\(e.location)", "devices": "\(e.devices.joined(separator: ","))",
        ]
        if let alarm = e.alarm { metadata["alarm"] = "\(alarm)" }
        if let reason = e.reason { metadata["reason"] = "\(reason)" }
        if e.test { metadata["test"] = "true" }
        let level: Logger.Level =
            switch e.severity {
            case .critical: .critical
            case .major: .error
            case .minor: .warning
            }
        logger.log(
            level: e.type == .alarmRaised || e.type == .faultRaised || e.type == .alarmUpdated ? level : .notice,
            "\(e.type.rawValue)",
            metadata: metadata
        )
    }
}
