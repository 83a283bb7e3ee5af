import CampusGuardCore

extension OpenAlarmRecord {
    /// `raised` (waiting for a person), `acknowledged`, or `cleared` (the condition is gone;
    /// a latching alarm waits to be resolved).
    var state: String {
        if clearedAt != nil { return "cleared" }
        return acknowledgedAt == nil ? "raised" : "acknowledged"
    }

    /// The alarm as `GET /api/v1/alarms` lists it.
    var apiJSON: String {
        var w = JSONObjectWriter()
        w.string("id", id)
        w.string("kind", kind.rawValue)
        w.string("severity", severity.rawValue)
        w.string("location", location)
        w.raw("devices", "[" + devices.map(JSONObjectWriter.quote).joined(separator: ",") + "]")
        w.bool("test", test)
        w.string("reason", reason)
        w.string("raised_at", RFC3339.format(raisedAt))
        w.string("state", state)
        w.raw("acknowledged_by", acknowledgedBy.map(JSONObjectWriter.quote) ?? "null")
        w.raw("acknowledged_at", acknowledgedAt.map { JSONObjectWriter.quote(RFC3339.format($0)) } ?? "null")
        w.raw("cleared_at", clearedAt.map { JSONObjectWriter.quote(RFC3339.format($0)) } ?? "null")
        return w.finish()
    }
}
