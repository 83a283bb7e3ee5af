import CampusGuardCore
import CampusGuardStore

extension HazardTicket {
    /// The ticket as the API shows it; `age_seconds` is its age at `now` (for a closed one,
    /// how long it took to close); `steps` only when asked for.
    func apiJSON(now: Instant, withSteps: Bool) -> String {
        var w = JSONObjectWriter()
        w.string("id", id)
        w.string("title", title)
        w.string("status", status.rawValue)
        w.string("building", building)
        w.raw("location", Self.optional(location))
        w.raw("device", Self.optional(device))
        w.raw("fault", Self.optional(fault))
        w.raw("kind", Self.optional(kind?.rawValue))
        w.raw("assignee", Self.optional(assignee))
        w.string("created_at", RFC3339.format(createdAt))
        w.string("created_by", createdBy)
        w.string("updated_at", RFC3339.format(updatedAt))
        w.raw("closed_at", Self.optional(closedAt.map(RFC3339.format)))
        w.raw("age_seconds", String(age(at: now).milliseconds / 1000))
        if withSteps {
            w.raw("steps", "[" + steps.map(\.apiJSON).joined(separator: ",") + "]")
        }
        return w.finish()
    }

    static func optional(_ text: String?) -> String { text.map(JSONObjectWriter.quote) ?? "null" }
}

extension TicketStep {
    var apiJSON: String {
        var w = JSONObjectWriter()
        w.string("step", kind.rawValue)
        w.string("at", RFC3339.format(at))
        w.string("by", by)
        w.raw("note", HazardTicket.optional(note))
        w.raw("photos", "[" + photos.map(JSONObjectWriter.quote).joined(separator: ",") + "]")
        w.raw("assignee", HazardTicket.optional(assignee))
        return w.finish()
    }
}

extension InspectionRecord {
    /// The record as the API shows it.
    var apiJSON: String {
        var w = JSONObjectWriter()
        w.raw("id", String(id))
        w.string("device", device)
        w.string("at", RFC3339.format(at))
        w.string("by", by)
        w.string("result", result.rawValue)
        w.raw("note", HazardTicket.optional(note))
        if let evidence {
            var e = JSONObjectWriter()
            e.string("alarm", evidence.alarm)
            e.string("raised_at", RFC3339.format(evidence.raisedAt))
            e.string("linked", evidence.automatic ? "automatic" : "named")
            w.raw("evidence", e.finish())
        } else {
            w.raw("evidence", "null")
        }
        w.raw("ticket", HazardTicket.optional(ticket))
        return w.finish()
    }
}
