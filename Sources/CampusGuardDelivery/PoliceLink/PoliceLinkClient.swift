import CampusGuardCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The police link: sends Contact ID events to the receiving centre over SIA DC-09 (TCP), one
/// message at a time, each acknowledged before the next.
///
/// It runs on a dedicated thread with blocking-free POSIX sockets waited on with `poll(2)`, like
/// the Modbus poller: the protocol is strictly one frame, one answer, at a low rate, which a
/// plain loop states directly (no event loop, no extra dependency), and none of its waiting
/// happens on Swift's shared concurrency pool.
///
/// - A NAK (timestamp outside the receiver's window) sends the message again with the
///   receiver's time, learned from the NAK (at most `nakResends` times per receiver).
/// - No answer, a refused or lost connection: the other receiver at once (when there is a
///   backup), then further rounds with backoff (`retries`).
/// - A DUH: the receiver cannot process the message; it fails with `.rejected`.
/// - Supervision: a NULL message to each receiver idle for `supervisionInterval`.
/// - Every change of a receiver's state (up, or down and why) goes to `onStatus`, so that the
///   caller can raise a `device_fault` of the link.
public final class PoliceLinkClient: Service, @unchecked Sendable {
    // @unchecked Sendable: what other threads touch is behind `shared` (a Mutex) or is the
    // waker's pipe; the link session and connections are created and used on the link thread only.
    public let options: PoliceLinkOptions
    let logger: Logger
    let clock: @Sendable () -> Instant
    let onStatus: @Sendable (PoliceLinkStatus) -> Void
    let shared = Mutex(Shared())
    let waker: LinkWaker
    private let finished = DispatchSemaphore(value: 0)

    enum Message {
        case contactID(ContactIDEvent)
        /// A NULL message: to the receiver given, or through the usual order with failover.
        case linkTest(PoliceLinkReceiver?)

        var isAlarm: Bool {
            if case .contactID(let e) = self { return e.isAlarm }
            return false
        }
    }

    struct Request {
        let id: Int
        let message: Message
        let submitted: ContinuousClock.Instant
        let continuation: CheckedContinuation<DC09Outcome, any Error>
    }

    struct Shared {
        var queue: [Request] = []
        var cancelled: Set<Int> = []
        var nextID = 0
        var started = false
        var stopping = false
        var status: [PoliceLinkReceiver.Role: PoliceLinkStatus] = [:]
        var counters = Counters()
    }

    /// What the link did, for status pages, tests and the benchmark.
    public struct Counters: Sendable, Hashable {
        /// Frames written (messages, resends and link tests).
        public var frames = 0
        public var acks = 0
        public var naks = 0
        public var duhs = 0
        /// Messages given up after every attempt.
        public var undelivered = 0
        public var timeouts = 0
        public var connectFailures = 0
        public var linkTests = 0
    }

    /// - Parameters:
    ///   - clock: the wall clock for DC-09 timestamps (UTC).
    ///   - onStatus: called on the link thread when a receiver goes up or down; must be quick.
    public init(
        options: PoliceLinkOptions,
        logger: Logger,
        clock: @escaping @Sendable () -> Instant = { Instant(secondsSinceEpoch: Date().timeIntervalSince1970) },
        onStatus: @escaping @Sendable (PoliceLinkStatus) -> Void = { _ in }
    ) throws(PoliceLinkError) {
        self.options = options
        self.logger = logger
        self.clock = clock
        self.onStatus = onStatus
        self.waker = try LinkWaker()
    }

    deinit { stop() }

    // MARK: - Sending

    /// Sends one Contact ID event and returns once a receiver acknowledged it.
    ///
    /// Waits behind messages already queued (alarms before troubles). Throws `PoliceLinkError`
    /// (`.undelivered`, `.rejected`, `.stopped`) or, when the task is cancelled before its
    /// message went out, `CancellationError`.
    public func send(_ event: ContactIDEvent) async throws -> DC09Outcome {
        try await submit(.contactID(event))
    }

    /// Sends a link test (NULL message) the way an event would go, with retries and failover.
    public func sendLinkTest() async throws -> DC09Outcome { try await submit(.linkTest(nil)) }

    private func submit(_ message: Message) async throws -> DC09Outcome {
        let id = shared.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<DC09Outcome, any Error>) in
                let refusal: (any Error)? = shared.withLock { s in
                    if s.stopping { return PoliceLinkError(.stopped, "the police link is stopped") }
                    if s.cancelled.remove(id) != nil { return CancellationError() }
                    s.queue.append(Request(id: id, message: message, submitted: .now, continuation: c))
                    return nil
                }
                if let refusal { c.resume(throwing: refusal) } else { waker.wake() }
            }
        } onCancel: {
            let removed: Request? = shared.withLock { s in
                if let i = s.queue.firstIndex(where: { $0.id == id }) { return s.queue.remove(at: i) }
                s.cancelled.insert(id)
                return nil
            }
            removed?.continuation.resume(throwing: CancellationError())
        }
    }

    // MARK: - Lifecycle

    public func run() async throws {
        logger.info(
            "Police link starting",
            metadata: [
                "police.primary": "\(options.primary)", "police.backup": "\(options.backup?.description ?? "none")",
                "police.account": "\(options.account)", "police.encrypted": "\(options.key != nil)",
            ]
        )
        start()
        try? await gracefulShutdown()
        stop()
        logger.info("Police link stopped")
    }

    /// Starts the link thread (also for tests and benchmarks that drive the link directly).
    public func start() {
        let go = shared.withLock { s in
            guard !s.started, !s.stopping else { return false }
            s.started = true
            return true
        }
        guard go else { return }
        let thread = Thread { [self] in
            runLoop()
            finished.signal()
        }
        thread.name = "police link"
        thread.start()
    }

    /// Stops the link: closes its connections, fails what is still queued with `.stopped`, and
    /// waits for the thread (a message in flight ends at once).
    public func stop() {
        let (wasRunning, orphans) = shared.withLock { s in
            guard !s.stopping else { return (false, [Request]()) }
            s.stopping = true
            // Without a thread nobody else will answer the queue.
            let orphans = s.started ? [] : s.queue
            if !s.started { s.queue.removeAll() }
            return (s.started, orphans)
        }
        for r in orphans { r.continuation.resume(throwing: PoliceLinkError(.stopped, "the police link is stopped")) }
        guard wasRunning else { return }
        waker.wake()
        finished.wait()
    }

    var isStopping: Bool { shared.withLock { $0.stopping } }

    // MARK: - State

    public var counters: Counters { shared.withLock { $0.counters } }

    /// Messages waiting behind the one in flight.
    public var queued: Int { shared.withLock { $0.queue.count } }

    /// Each receiver's last known state; absent until it was first tried.
    public var status: [PoliceLinkReceiver.Role: PoliceLinkStatus] { shared.withLock { $0.status } }

    /// Up when any receiver acknowledged its last message or link test; nil before the first
    /// was tried. `reason` says why each receiver that is down is down.
    public var linkState: (up: Bool?, reason: String?) {
        let status = self.status
        guard !status.isEmpty else { return (nil, nil) }
        let down = status.values.filter { !$0.isUp }.map { "\($0.receiver.role.rawValue): \($0.reason ?? "down")" }
        return (status.values.contains { $0.isUp }, down.isEmpty ? nil : down.sorted().joined(separator: "; "))
    }

    /// Records a receiver's state and reports it when it changed.
    func report(_ receiver: PoliceLinkReceiver, up: Bool, reason: String?) {
        let status = PoliceLinkStatus(receiver: receiver, isUp: up, reason: up ? nil : reason)
        let changed = shared.withLock { s in
            let before = s.status[receiver.role]
            s.status[receiver.role] = status
            return before?.isUp != up
        }
        guard changed else { return }
        if up {
            logger.info(
                "Police link receiver up",
                metadata: ["police.receiver": "\(receiver.role.rawValue)", "police.endpoint": "\(receiver)"]
            )
        } else {
            logger.warning(
                "Police link receiver down",
                metadata: [
                    "police.receiver": "\(receiver.role.rawValue)", "police.endpoint": "\(receiver)",
                    "reason": "\(reason ?? "unknown")",
                ]
            )
        }
        onStatus(status)
    }
}
