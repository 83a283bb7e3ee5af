import AsyncHTTPClient
import CampusGuardCore
import CampusGuardDelivery
import CampusGuardStore
import Logging
import ServiceLifecycle
import Synchronization

/// Carries the engine's events to people: the escalation planner decides who hears of an alarm
/// and when, every planned delivery goes into the outbox (committed) before it is attempted,
/// and failed attempts are retried with backoff and jitter while the next tier goes ahead on
/// its own timer. After a restart, pending deliveries resume and the planner's timers are
/// rebuilt from the stored events; a delivery keeps its id across retries and restarts.
///
/// When the store fails, deliveries go on from memory.
public final class DeliveryService: Service, Sendable {
    /// The campus notices are written from; a config reload replaces it.
    var campus: Campus { running.withLock { $0 } }
    let running: Mutex<Campus>
    /// The staff channels by id; a reload replaces the ones whose settings changed.
    var channels: [String: any StaffChannel] { staff.withLock { $0 } }
    let staff: Mutex<[String: any StaffChannel]>
    let police: PoliceLinkClient?
    let addressing: ContactIDAddressing
    let writer: StoreWriter
    /// The channels' HTTP client, shut down when the service stops.
    let http: HTTPClient?
    let logger: Logger
    let clock: @Sendable () -> Instant
    let output: @Sendable ([Event]) -> Void
    let acknowledgeLink: AcknowledgeLink?
    let mailbox = Mutex(Mailbox())

    /// Attempts at once, across channels.
    static let concurrency = 32
    /// Retries of a staff delivery before it is given up (about a day with the backoff's cap).
    static let maxAttempts = 1_500
    static let idleWake = Duration.milliseconds(250)

    struct Mailbox {
        var events: [Event] = []
        var results: [(DeliveryJob, AttemptOutcome)] = []
        var waiter: CheckedContinuation<Void, Never>?
        /// A reloaded config for the planner, taken at the next round.
        var reloaded: SiteConfig?
    }

    enum AttemptOutcome: Sendable {
        case sent(String)
        case retry(String)
        case failed(String)
    }

    public init(
        campus: Campus,
        channels: [any StaffChannel],
        police: PoliceLinkClient?,
        writer: StoreWriter,
        http: HTTPClient? = nil,
        acknowledgeLink: AcknowledgeLink? = nil,
        logger: Logger,
        clock: @escaping @Sendable () -> Instant,
        output: @escaping @Sendable ([Event]) -> Void
    ) {
        self.running = Mutex(campus)
        self.staff = Mutex(Dictionary(channels.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
        self.police = police
        self.addressing = ContactIDAddressing(campus: campus)
        self.writer = writer
        self.http = http
        self.acknowledgeLink = acknowledgeLink
        self.logger = logger
        self.clock = clock
        self.output = output
    }

    /// Hands the engine's events (already committed) to escalation; never blocks.
    public func submit(_ events: [Event]) {
        guard !events.isEmpty else { return }
        let waiter = mailbox.withLock { m in
            m.events += events
            defer { m.waiter = nil }
            return m.waiter
        }
        waiter?.resume()
    }

    /// Takes a reloaded campus: notices name its devices and places from now on, and the
    /// planner takes its roster and policies at its next round (see
    /// `EscalationPlanner.reconfigure(config:)`); deliveries already planned keep their ids.
    /// The channels and the police link stay as they were started.
    public func reconfigure(campus: Campus) {
        running.withLock { $0 = campus }
        let waiter = mailbox.withLock { m in
            m.reloaded = campus.config
            defer { m.waiter = nil }
            return m.waiter
        }
        waiter?.resume()
    }

    private func finished(_ job: DeliveryJob, _ outcome: AttemptOutcome) {
        let waiter = mailbox.withLock { m in
            m.results.append((job, outcome))
            defer { m.waiter = nil }
            return m.waiter
        }
        waiter?.resume()
    }

    private func wake() {
        mailbox.withLock { m in
            defer { m.waiter = nil }
            return m.waiter
        }?.resume()
    }

    private func waitForWork() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = mailbox.withLock { m in
                if !m.events.isEmpty || !m.results.isEmpty || m.reloaded != nil { return true }
                m.waiter = c
                return false
            }
            if now { c.resume() }
        }
    }

    public func run() async throws {
        var work = DeliveryWork(
            planner: EscalationPlanner(config: campus.config),
            contactID: ContactIDMapping(addressing: addressing)
        )
        await recover(&work)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: Self.idleWake)
                        self.wake()
                    }
                }
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    await waitForWork()
                    await round(&work, group: &group)
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.wake()
        }
        // Attempts cut short are still pending in the outbox: they go out at the next start.
        let (_, results) = mailbox.withLock { m in (m.events, m.results) }
        for (job, outcome) in results { await record(job, outcome, &work) }
        try? await http?.shutdown()
    }

    /// One round: record finished attempts, plan for new events and timers, start what is due.
    private func round(_ work: inout DeliveryWork, group: inout TaskGroup<Void>) async {
        let (events, results, reloaded) = mailbox.withLock { m in
            defer {
                m.events.removeAll()
                m.results.removeAll()
                m.reloaded = nil
            }
            return (m.events, m.results, m.reloaded)
        }
        for (job, outcome) in results { await record(job, outcome, &work) }
        if let reloaded { work.planner.reconfigure(config: reloaded) }
        let now = clock()
        for e in events {
            if e.type == .alarmAcknowledged || e.type == .alarmResolved, let alarm = e.alarm {
                await cancelStaffDeliveries(of: alarm, &work)
            }
            await carryOut(work.planner.handle(e, at: e.timestamp), &work)
        }
        await carryOut(work.planner.tick(now: now), &work)
        for job in work.due(at: now, limit: Self.concurrency - work.inFlight.count) {
            work.inFlight.insert(job.id)
            group.addTask {
                let outcome = await self.attempt(job)
                self.finished(job, outcome)
            }
        }
    }

    /// Commits the planner's events and its deliveries (outbox first), then keeps them to send.
    func carryOut(_ actions: EscalationActions, _ work: inout DeliveryWork) async {
        var jobs: [DeliveryJob] = []
        for planned in actions.deliveries where work.pending[planned.id] == nil {
            var job = DeliveryJob(planned)
            if job.isPolice { job.reports = work.contactID.reports(for: job.event) }
            jobs.append(job)
        }
        if let store = writer.store, !jobs.isEmpty {
            do {
                try await store.enqueue(jobs.map(\.entry), at: clock())
            } catch {
                logger.error(
                    "outbox not written: delivering from memory",
                    metadata: ["deliveries": "\(jobs.count)", "reason": "\(error)"]
                )
            }
        }
        for job in jobs { work.pending[job.id] = job }
        await emit(actions.events)
    }

    func emit(_ events: [Event]) async {
        guard !events.isEmpty else { return }
        await writer.commit(events, journal: 0)
        output(events)
        for e in events { log(e) }
    }

    private func log(_ e: Event) {
        var metadata: Logger.Metadata = ["event": "\(e.type.rawValue)", "alarm": "\(e.alarm ?? "-")"]
        if let channel = e.channel { metadata["channel"] = "\(channel)" }
        if let tier = e.tier { metadata["tier"] = "\(tier)" }
        if let reason = e.reason { metadata["reason"] = "\(reason)" }
        if let delivery = e.delivery { metadata["delivery"] = "\(delivery)" }
        logger.log(level: e.type == .deliveryFailed ? .error : .info, "\(e.type.rawValue)", metadata: metadata)
    }
}
