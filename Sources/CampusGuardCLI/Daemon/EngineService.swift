import CampusGuardCore
import Logging
import ServiceLifecycle

/// Runs the engine: drains the inbox, feeds readings and the passing of time, and hands every
/// event to the outputs. The only place the engine lives; nothing else touches it.
public final class EngineService: Service, Sendable {
    public let inbox: GatewayInbox
    private let campus: Campus
    private let logger: Logger
    private let clock: @Sendable () -> Instant
    private let output: @Sendable ([Event]) -> Void
    private let tickInterval: Duration

    public init(
        campus: Campus,
        inbox: GatewayInbox,
        logger: Logger,
        clock: @escaping @Sendable () -> Instant,
        tickInterval: Duration = .seconds(1),
        output: @escaping @Sendable ([Event]) -> Void
    ) {
        self.campus = campus
        self.inbox = inbox
        self.logger = logger
        self.clock = clock
        self.tickInterval = tickInterval
        self.output = output
    }

    /// A drain smaller than this is followed by a nap of `nap` before the next one.
    static let burst = 64
    static let nap = Duration.microseconds(250)

    public func run() async throws {
        var engine = AlarmEngine(campus: campus, startedAt: clock())
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
                    for item in items {
                        switch item {
                        case .tick(let now):
                            events += engine.tick(now: now)
                        case .batch(let batch):
                            // Timers run on the ticks (every second), not per batch: a tick scans
                            // every device, and batches come thousands of times a second.
                            if let state = batch.bridgeState { events += engine.bridge(state, at: batch.receivedAt) }
                            for reading in batch.readings { events += engine.ingest(reading, at: batch.receivedAt) }
                        }
                    }
                    if !events.isEmpty {
                        for e in events { log(e) }
                        output(events)
                    }
                    // Woken for a few routine messages, let more gather before draining again:
                    // every wake-up costs the sources' threads CPU (on 2 cores, more than the
                    // engine's work for one message). After an alarm-bearing batch, or when
                    // busy, drain again at once; an alarm waits at most this nap.
                    if items.count < Self.burst && !items.contains(where: \.isAlarmBearing) {
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
