/// How plans start, how their timers turn into deliveries, and how they end.
extension EscalationPlanner {
    /// Starts a new plan for the alarm as it now stands: the police link if it is now a police
    /// matter, the tiers reached so far at once (at least tier 1), later ones on their timers.
    mutating func replan(_ id: String, at now: Instant, into out: inout EscalationActions) {
        guard var p = plans[id] else { return }
        let first = p.plan == 0
        p.plan += 1
        p.policy = policy(for: p.event)
        // A policy built in code without tiers must still reach someone.
        if p.policy.tiers.isEmpty { p.policy.tiers = EscalationPolicy.default.tiers }
        let immediate = first ? 0 : min(max(p.reachedTier, 1), p.policy.tiers.count)
        p.tierStarts = []
        var start = now
        for (k, tier) in p.policy.tiers.enumerated() {
            if k >= immediate { start = start + tier.after }
            p.tierStarts.append(start)
        }
        p.nextRound = Array(repeating: 1, count: p.policy.tiers.count)
        plans[id] = p
        if policeLink, p.policy.police, !p.event.test, !p.policeActive,
            EscalationPolicy.isPoliceMatter(kind: p.event.kind, severity: p.event.severity)
        {
            plans[id]!.policeAlarms += 1
            plans[id]!.policeActive = true
            out.plan(
                PlannedDelivery(
                    id: "\(id)/police/\(plans[id]!.policeAlarms)",
                    alarm: id,
                    event: p.event,
                    target: .police(restore: false),
                    tier: nil,
                    due: now,
                    reason: first ? .raised : .updated
                )
            )
        }
        // Tiers already reached hear of the change even when someone acknowledged.
        for k in 0..<immediate { planRound(id, tier: k, round: 1, due: now, reason: .updated, into: &out) }
        runTimers(id, now: now, into: &out)
    }

    /// Plans what the alarm's timers owe by `now`.
    mutating func runTimers(_ id: String, now: Instant, into out: inout EscalationActions) {
        guard let p = plans[id] else { return }
        if let acknowledged = p.acknowledgedAt {
            guard !p.cleared, let every = p.policy.reacknowledgeAfter, every.milliseconds > 0, now >= acknowledged
            else { return }
            let due = Int((now - acknowledged).milliseconds / every.milliseconds)
            guard due > p.reminders else { return }
            plans[id]!.reminders = due
            planRound(id, tier: 0, tag: "r\(due)", due: acknowledged + every * due, reason: .reminder, into: &out)
            return
        }
        for (k, tier) in p.policy.tiers.enumerated() {
            let start = p.tierStarts[k]
            guard start <= now else { continue }
            if plans[id]!.nextRound[k] == 1 {
                let reason: PlannedDelivery.Reason = k == 0 ? (p.plan == 1 ? .raised : .updated) : .escalated
                planRound(id, tier: k, round: 1, due: start, reason: reason, into: &out)
            }
            guard let every = tier.repeatEvery, every.milliseconds > 0, tier.repeatTimes > 0 else { continue }
            let latest = min(tier.repeatTimes + 1, 1 + Int((now - start).milliseconds / every.milliseconds))
            if latest >= plans[id]!.nextRound[k] {
                planRound(id, tier: k, round: latest, due: start + every * (latest - 1), reason: .repeated, into: &out)
            }
        }
    }

    private mutating func planRound(
        _ id: String,
        tier k: Int,
        round: Int,
        due: Instant,
        reason: PlannedDelivery.Reason,
        into out: inout EscalationActions
    ) {
        plans[id]!.nextRound[k] = round + 1
        planRound(id, tier: k, tag: "\(round)", due: due, reason: reason, into: &out)
    }

    /// One notification of a tier: a delivery per channel, to the people on duty at `due`.
    private mutating func planRound(
        _ id: String,
        tier k: Int,
        tag: String,
        due: Instant,
        reason: PlannedDelivery.Reason,
        into out: inout EscalationActions
    ) {
        var p = plans[id]!
        if k + 1 > p.reachedTier {
            if k > 0 {
                var e = p.event
                e.timestamp = due
                e.type = .alarmEscalated
                e.reason = "not_acknowledged"
                e.previousKind = nil
                e.values = []
                e.tier = k + 1
                out.events.append(e)
            }
            p.reachedTier = k + 1
        }
        let tier = p.policy.tiers[k]
        for (channel, people) in targets(of: tier, at: due, building: p.building) {
            if p.lastRecipients[channel] == nil { p.notifiedChannels.append(channel) }
            p.lastRecipients[channel] = people
            out.plan(
                PlannedDelivery(
                    id: "\(id)/\(k + 1)/\(channel)/\(p.plan).\(tag)",
                    alarm: id,
                    event: p.event,
                    target: .channel(channel, recipients: people),
                    tier: k + 1,
                    due: due,
                    reason: reason
                )
            )
        }
        plans[id] = p
    }

    /// The police link's restore, when it has an alarm of this one.
    mutating func restorePolice(_ id: String, _ event: Event, at now: Instant, into out: inout EscalationActions) {
        guard let p = plans[id], p.policeActive else { return }
        plans[id]!.policeActive = false
        out.plan(
            PlannedDelivery(
                id: "\(id)/police-restore/\(p.policeAlarms)",
                alarm: id,
                event: event,
                target: .police(restore: true),
                tier: nil,
                due: now,
                reason: .restore
            )
        )
    }

    /// The alarm is over: the police link's restore, a closing notice to every channel that
    /// heard of it, and nothing more for it.
    mutating func close(_ id: String, _ event: Event, at now: Instant, into out: inout EscalationActions) {
        restorePolice(id, event, at: now, into: &out)
        guard let p = plans.removeValue(forKey: id) else { return }
        for channel in p.notifiedChannels {
            out.plan(
                PlannedDelivery(
                    id: "\(id)/end/\(channel)",
                    alarm: id,
                    event: event,
                    target: .channel(channel, recipients: p.lastRecipients[channel] ?? []),
                    tier: nil,
                    due: now,
                    reason: .closed
                )
            )
        }
    }
}
