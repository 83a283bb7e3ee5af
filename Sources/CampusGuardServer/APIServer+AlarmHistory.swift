import CampusGuardCore
import CampusGuardStore
import Hummingbird

extension APIServer {
    /// `GET /api/v1/alarms?since=…`: every alarm and fault raised since then, newest first.
    func alarmHistory(since: Instant, limit: Int) async throws(ServerError) -> Response {
        let records = try await readStore("the alarm history") { store throws(StoreError) -> [AlarmHistoryRecord] in
            try store.alarmHistory(since: since, limit: limit)
        }
        var w = JSONObjectWriter()
        w.string("since", RFC3339.format(since))
        w.raw("alarms", "[" + records.map(\.apiJSON).joined(separator: ",") + "]")
        return Response.json(w.finish())
    }
}

extension AlarmHistoryRecord {
    /// The alarm as `GET /api/v1/alarms?since=` lists it: the open list's fields and the rest
    /// of its lifecycle.
    var apiJSON: String {
        var w = JSONObjectWriter()
        w.string("id", id)
        w.string("kind", kind.rawValue)
        w.string("raised_kind", raisedKind.rawValue)
        w.string("severity", severity.rawValue)
        w.string("location", location)
        w.raw("devices", "[" + devices.map(JSONObjectWriter.quote).joined(separator: ",") + "]")
        w.bool("test", test)
        w.string("reason", reason)
        w.string("raised_at", RFC3339.format(raisedAt))
        w.string("state", state)
        w.bool("open", !closed)
        w.raw("acknowledged_by", DeviceView.quoted(acknowledgedBy))
        w.raw("acknowledged_at", DeviceView.time(acknowledgedAt))
        w.raw("cleared_at", DeviceView.time(clearedAt))
        w.raw("resolved_by", DeviceView.quoted(resolvedBy))
        w.raw("resolved_at", DeviceView.time(resolvedAt))
        w.raw("note", DeviceView.quoted(note))
        return w.finish()
    }
}
