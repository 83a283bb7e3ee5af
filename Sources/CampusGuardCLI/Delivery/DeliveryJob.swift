import CampusGuardCore
import CampusGuardDelivery
import CampusGuardStore

/// One delivery as the delivery service works on it: planned by the escalation planner, kept in
/// the outbox until sent, and rebuilt from the outbox after a restart.
struct DeliveryJob: Sendable, Hashable {
    var id: String
    var alarm: String
    var event: Event
    var target: PlannedDelivery.Target
    var tier: Int?
    var due: Instant
    var attempts = 0
    /// Police link: the Contact ID reports, worked out when it was planned (in event order), so
    /// that a retry or a restart sends exactly these.
    var reports: [ContactIDEvent] = []

    init(_ planned: PlannedDelivery) {
        id = planned.id
        alarm = planned.alarm
        event = planned.event
        target = planned.target
        tier = planned.tier
        due = planned.due
    }

    var targetName: String {
        switch target {
        case .channel(let id, _): id
        case .police: "police"
        }
    }

    var isPolice: Bool {
        if case .police = target { return true }
        return false
    }

    /// What the outbox row keeps to send it again after a restart: the event line, the tier,
    /// the recipients' ids and, for the police link, whether it is a restore.
    var payload: String {
        var w = JSONObjectWriter()
        w.string("event", event.jsonLine)
        if let tier { w.raw("tier", String(tier)) }
        switch target {
        case .channel(_, let people):
            w.raw("recipients", "[" + people.map { JSONObjectWriter.quote($0.id) }.joined(separator: ",") + "]")
        case .police(let restore):
            w.bool("restore", restore)
            w.raw("reports", "[" + reports.map { JSONObjectWriter.quote($0.text) }.joined(separator: ",") + "]")
        }
        return w.finish()
    }

    var entry: OutboxEntry {
        OutboxEntry(
            delivery: id,
            alarm: alarm,
            target: targetName,
            payload: payload,
            attempts: attempts,
            nextAttempt: due
        )
    }

    /// Rebuilds a job from its outbox row; nil when the row cannot be read (it is then failed).
    init?(entry: OutboxEntry, roster: DutyRoster) {
        guard let o = try? JSONParser.parse(entry.payload), case .string(let line)? = o["event"],
            let event = Event(jsonLine: line)
        else { return nil }
        id = entry.delivery
        alarm = entry.alarm ?? event.alarm ?? ""
        self.event = event
        if case .number(let n)? = o["tier"] { tier = Int(exactly: n) }
        if entry.target == "police" {
            target = .police(restore: o["restore"] == .bool(true))
            if case .array(let texts)? = o["reports"] {
                for case .string(let text) in texts {
                    guard let report = ContactIDEvent(text: text) else { return nil }
                    reports.append(report)
                }
            }
        } else {
            var people: [Person] = []
            if case .array(let ids)? = o["recipients"] {
                for case .string(let id) in ids { people.append(roster.person(id) ?? Person(id: id, name: id)) }
            }
            target = .channel(entry.target, recipients: people)
        }
        due = entry.nextAttempt
        attempts = entry.attempts
    }
}

extension ContactIDEvent {
    /// Reads `QEEE GG ZZZ` back (`1120 01 003`).
    init?(text: String) {
        let parts = text.split(separator: " ")
        guard parts.count == 3, parts[0].count == 4, let q = Int(parts[0].prefix(1)),
            let qualifier = Qualifier(rawValue: q), let code = Int(parts[0].dropFirst()), let group = Int(parts[1]),
            let zone = Int(parts[2])
        else { return nil }
        self.init(qualifier, code: code, group: group, zone: zone)
    }
}
