import CampusGuardCore
import CampusGuardDelivery
import CampusGuardStore
import Logging

extension DeliveryService {
    /// One attempt: the channel's or the police link's own answer, as sent / retry / failed.
    func attempt(_ job: DeliveryJob) async -> AttemptOutcome {
        switch job.target {
        case .channel(let id, _):
            guard let channel = channels[id] else { return .failed("no channel \(id) in the config") }
            let now = clock()
            let notice = StaffNotice(
                deliveryID: job.id,
                event: job.event,
                campus: campus,
                acknowledgeURL: job.event.type == .alarmResolved
                    ? nil : acknowledgeLink?.url(alarm: job.alarm, expires: now + .seconds(86_400)),
                tier: job.tier ?? 0
            )
            switch await channel.deliver(notice) {
            case .sent(let status, let latency): return .sent("HTTP \(status) in \(latency)")
            case .retryable(let reason): return .retry(reason)
            case .rejected(let reason): return .failed(reason)
            }
        case .police(let restore):
            guard let police else { return .failed("no police_link in the config") }
            guard !job.reports.isEmpty else {
                return .sent(restore ? "nothing reported to restore" : "nothing new for the police")
            }
            var receivers: [String] = []
            for report in job.reports {
                do {
                    let outcome = try await police.send(report)
                    receivers.append("\(report) acked by \(outcome.receiver.role)")
                } catch {
                    return .retry("\(error)")
                }
            }
            return .sent(receivers.joined(separator: "; "))
        }
    }

    /// Records an attempt's outcome in the outbox and as an event; schedules the next attempt.
    func record(_ job: DeliveryJob, _ outcome: AttemptOutcome, _ work: inout DeliveryWork) async {
        work.inFlight.remove(job.id)
        guard var current = work.pending[job.id] else { return }
        let now = clock()
        current.attempts += 1
        var status = OutboxEntry.Status.pending
        var next: Instant? = nil
        var event: Event
        switch outcome {
        case .sent(let detail):
            status = .sent
            event = deliveryEvent(.deliverySent, current, reason: detail)
            work.pending[job.id] = nil
        case .retry(let reason) where current.isPolice || current.attempts < Self.maxAttempts:
            next = now + Self.backoff(attempts: current.attempts, jitter: Double.random(in: 0.8...1.2))
            current.due = next!
            work.pending[job.id] = current
            event = deliveryEvent(.deliveryFailed, current, reason: "retrying: \(reason)")
        case .retry(let reason), .failed(let reason):
            status = .failed
            event = deliveryEvent(.deliveryFailed, current, reason: "gave up: \(reason)")
            work.pending[job.id] = nil
        }
        if let store = writer.store {
            do {
                try await store.recordAttempt(job.id, status: status, error: event.reason, nextAttempt: next, at: now)
            } catch {
                logger.error("outbox not updated", metadata: ["delivery": "\(job.id)", "reason": "\(error)"])
            }
        }
        // Each failed attempt is an event, but a long outage is reported on the first
        // attempts and then every tenth, not once a minute for a day.
        if event.type == .deliverySent || current.attempts <= 3 || current.attempts % 10 == 0 || status == .failed {
            await emit([event])
        }
    }

    /// Acknowledged or resolved: the staff deliveries still waiting for this alarm are not
    /// needed any more (the police link's are kept: the centre must hear of every alarm).
    func cancelStaffDeliveries(of alarm: String, _ work: inout DeliveryWork) async {
        let staff = work.pending.values.filter { $0.alarm == alarm && !$0.isPolice && !work.inFlight.contains($0.id) }
        guard !staff.isEmpty else { return }
        for job in staff { work.pending[job.id] = nil }
        if let store = writer.store {
            _ = try? await store.cancelPending(alarm: alarm, targets: Set(staff.map(\.targetName)), at: clock())
        }
    }

    /// After a restart: pending outbox rows go out again, and the planner's timers are rebuilt
    /// from the events of the alarms still open (what it plans that the outbox already has, it
    /// does not plan twice).
    func recover(_ work: inout DeliveryWork) async {
        guard let store = writer.store else { return }
        do {
            for entry in try store.pendingDeliveries(limit: 100_000) {
                guard let job = DeliveryJob(entry: entry, roster: campus.config.roster) else {
                    try? await store.recordAttempt(
                        entry.delivery,
                        status: .failed,
                        error: "unreadable outbox row",
                        at: clock()
                    )
                    continue
                }
                work.pending[job.id] = job
                // The police link's memory of what each alarm reported, for its restore.
                if job.isPolice { _ = work.contactID.reports(for: job.event) }
            }
            let replayed = work.planner.replay(try store.openAlarmEvents())
            var fresh: [PlannedDelivery] = []
            for d in replayed.deliveries where work.pending[d.id] == nil {
                if try store.delivery(d.id) == nil {
                    fresh.append(d)
                } else if case .police = d.target {
                    // Sent before the restart: remembered, so that its restore closes it.
                    _ = work.contactID.reports(for: d.event)
                }
            }
            if !work.pending.isEmpty || !fresh.isEmpty {
                logger.notice(
                    "deliveries resumed after a restart",
                    metadata: ["pending": "\(work.pending.count)", "planned_while_down": "\(fresh.count)"]
                )
            }
            await carryOut(EscalationActions(deliveries: fresh, events: fresh.map(\.plannedEvent)), &work)
        } catch {
            logger.error("cannot resume deliveries from the store", metadata: ["reason": "\(error)"])
        }
    }

    func deliveryEvent(_ type: EventType, _ job: DeliveryJob, reason: String) -> Event {
        var e = Event(
            timestamp: clock(),
            type: type,
            alarm: job.alarm,
            kind: job.event.kind,
            severity: job.event.severity,
            devices: job.event.devices,
            location: job.event.location,
            test: job.event.test,
            reason: reason,
            channel: job.targetName,
            tier: job.tier
        )
        e.delivery = job.id
        return e
    }

    /// 1 s, 2 s, 4 s … capped at 60 s, times `jitter`.
    static func backoff(attempts: Int, jitter: Double) -> Interval {
        let seconds = min(60.0, Double(1 << min(attempts - 1, 6)))
        return Interval(milliseconds: Int64(seconds * 1000 * jitter))
    }
}
