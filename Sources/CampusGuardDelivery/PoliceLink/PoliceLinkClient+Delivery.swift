import CampusGuardCore
import Logging
import Synchronization

/// The link thread: takes one request at a time, delivers it with retries and failover, and
/// supervises the receivers while idle.
extension PoliceLinkClient {
    func runLoop() {
        let session = LinkSession()
        for receiver in options.receivers {
            session.connections[receiver.role] = ReceiverConnection(
                receiver: receiver,
                waker: waker,
                stopping: { [self] in isStopping }
            )
        }
        while true {
            let (request, stopping): (Request?, Bool) = shared.withLock { s in
                if s.stopping { return (nil, true) }
                // Alarms before troubles and link tests; in order within each.
                guard let i = s.queue.firstIndex(where: { $0.message.isAlarm }) ?? s.queue.indices.first else {
                    return (nil, false)
                }
                return (s.queue.remove(at: i), false)
            }
            if stopping { break }
            if let request {
                do {
                    request.continuation.resume(returning: try deliver(request, session: session))
                } catch {
                    request.continuation.resume(throwing: error)
                }
                continue
            }
            guard let interval = options.supervisionInterval else {
                _ = waker.wait(fd: nil, events: 0, until: .now + .seconds(3600))
                continue
            }
            let due = options.receivers.map { session.lastContact[$0.role].map { $0 + interval } ?? .now }
            if let next = due.min(), next > .now {
                _ = waker.wait(fd: nil, events: 0, until: next)
                continue
            }
            supervise(session, interval: interval)
        }
        session.closeAll()
        let left = shared.withLock { s in
            defer { s.queue.removeAll() }
            return s.queue
        }
        for r in left { r.continuation.resume(throwing: PoliceLinkError(.stopped, "the police link is stopped")) }
    }

    /// Sends one message until a receiver acknowledges it, trying the receiver that answered
    /// last first and the other one at once, for `1 + retries` rounds with backoff between.
    private func deliver(_ request: Request, session: LinkSession) throws(PoliceLinkError) -> DC09Outcome {
        let sequence = session.sequence.next()
        var tally = Tally()
        var failures: [String] = []
        let only: PoliceLinkReceiver? = if case .linkTest(let r) = request.message { r } else { nil }
        let rounds = only == nil ? 1 + max(options.retries, 0) : 1
        for round in 0..<rounds {
            let current = session.current
            let order =
                only.map { [$0] }
                ?? options.receivers.filter { $0.role == current } + options.receivers.filter { $0.role != current }
            for receiver in order {
                if isStopping { throw PoliceLinkError(.stopped, "the police link is stopping") }
                let result = try exchange(
                    request.message,
                    sequence: sequence,
                    with: receiver,
                    session: session,
                    tally: &tally
                )
                switch result {
                case .acknowledged(let ackLatency):
                    report(receiver, up: true, reason: nil)
                    if session.current != receiver.role && only == nil {
                        logger.warning(
                            "Police link now sends to the \(receiver.role.rawValue) receiver",
                            metadata: ["police.endpoint": "\(receiver)"]
                        )
                        session.current = receiver.role
                    }
                    return DC09Outcome(
                        receiver: receiver,
                        sequence: sequence,
                        attempts: tally.attempts,
                        naks: tally.naks,
                        latency: .now - request.submitted,
                        ackLatency: ackLatency
                    )
                case .rejected:
                    report(receiver, up: true, reason: nil)
                    throw PoliceLinkError(
                        .rejected,
                        "the \(receiver.role.rawValue) receiver \(receiver) answered DUH to \(describe(request.message)) (sequence \(sequence))"
                    )
                case .failed(let reason):
                    report(receiver, up: false, reason: reason)
                    failures.append("\(receiver.role.rawValue) \(receiver): \(reason)")
                }
            }
            if round + 1 < rounds {
                let pause = options.pause(afterRound: round)
                if waitUntilStopping(.now + pause) { throw PoliceLinkError(.stopped, "the police link is stopping") }
            }
        }
        shared.withLock { $0.counters.undelivered += 1 }
        logger.error(
            "Police link: no receiver acknowledged",
            metadata: [
                "police.message": "\(describe(request.message))", "police.sequence": "\(sequence)",
                "attempts": "\(tally.attempts)", "error": "\(failures.last ?? "")",
            ]
        )
        throw PoliceLinkError(
            .undelivered,
            "no receiver acknowledged \(describe(request.message)) after \(tally.attempts) attempts; last: \(failures.last ?? "none")"
        )
    }

    /// A NULL message to every receiver idle for `interval`; a receiver that answers while the
    /// link sends to the other one becomes the one tried first again only if it is the primary.
    private func supervise(_ session: LinkSession, interval: Duration) {
        for receiver in options.receivers {
            if let last = session.lastContact[receiver.role], ContinuousClock.now - last < interval { continue }
            if isStopping { return }
            shared.withLock { $0.counters.linkTests += 1 }
            var tally = Tally()
            let sequence = session.sequence.next()
            let result: ExchangeResult
            do {
                result = try exchange(
                    .linkTest(receiver),
                    sequence: sequence,
                    with: receiver,
                    session: session,
                    tally: &tally
                )
            } catch {
                return  // stopping
            }
            switch result {
            case .acknowledged, .rejected:
                report(receiver, up: true, reason: nil)
                if receiver.role == .primary && session.current != .primary {
                    logger.info(
                        "Police link back to the primary receiver",
                        metadata: ["police.endpoint": "\(receiver)"]
                    )
                    session.current = .primary
                }
            case .failed(let reason):
                report(receiver, up: false, reason: reason)
            }
        }
    }

    /// Waits until `deadline` unless the link stops first; true when it is stopping.
    private func waitUntilStopping(_ deadline: ContinuousClock.Instant) -> Bool {
        while ContinuousClock.now < deadline {
            if isStopping { return true }
            if case .timedOut = waker.wait(fd: nil, events: 0, until: deadline) { break }
        }
        return isStopping
    }

    func describe(_ message: Message) -> String {
        switch message {
        case .contactID(let e): "ADM-CID \(e.text)"
        case .linkTest: "NULL"
        }
    }
}

/// Frames and NAKs of one message, across receivers and rounds.
struct Tally {
    var attempts = 0
    var naks = 0
}
