import CampusGuardCore
import CampusGuardStore

extension SafetyReport {
    /// The whole report as one JSON object, for scripts: times in UTC (RFC 3339), durations
    /// in seconds (`*_s`); keys as in docs/cli.md.
    public func json() -> String {
        var w = JSONObjectWriter()
        w.string("since", RFC3339.format(since))
        w.string("until", RFC3339.format(until))
        w.raw("alarms", Self.array(alarms.map(Self.json)))
        w.raw("summary", Self.json(summary))
        w.raw("test_summary", Self.json(testSummary))
        w.raw("faults", Self.array(faults.map(Self.json)))
        w.raw("offline", Self.array(offline.map(Self.json)))
        w.raw("tickets", Self.array(tickets.map { json($0) }))
        return w.finish()
    }

    static func json(_ a: AlarmResponse) -> String {
        var w = JSONObjectWriter()
        w.string("alarm", a.alarm)
        w.string("kind", a.kind.rawValue)
        w.string("raised_kind", a.raisedKind.rawValue)
        w.string("severity", a.severity.rawValue)
        w.string("location", a.location)
        w.raw("devices", Self.array(a.devices.map(JSONObjectWriter.quote)))
        w.bool("test", a.test)
        w.string("raised_at", RFC3339.format(a.raised))
        w.raw("first_notice", a.firstNotice.map(Self.json) ?? "null")
        w.raw("acknowledged", a.acknowledged.map(Self.json) ?? "null")
        w.raw("resolved", a.resolved.map(Self.json) ?? "null")
        return w.finish()
    }

    static func json(_ n: Notice) -> String {
        var w = JSONObjectWriter()
        w.string("at", RFC3339.format(n.at))
        w.raw("channel", n.channel.map(JSONObjectWriter.quote) ?? "null")
        w.raw("after_s", ReportText.seconds(n.after))
        return w.finish()
    }

    static func json(_ a: Answer) -> String {
        var w = JSONObjectWriter()
        w.string("by", a.by)
        w.string("at", RFC3339.format(a.at))
        w.raw("after_s", ReportText.seconds(a.after))
        return w.finish()
    }

    static func json(_ s: Summary) -> String {
        var w = JSONObjectWriter()
        w.raw("alarms", String(s.alarms))
        var kinds = JSONObjectWriter()
        for k in s.byKind { kinds.raw(k.kind.rawValue, String(k.count)) }
        w.raw("by_kind", kinds.finish())
        w.raw("acknowledged", String(s.acknowledged))
        w.raw("never_acknowledged", String(s.neverAcknowledged))
        w.raw("median_to_acknowledge_s", s.medianToAcknowledge.map(ReportText.seconds) ?? "null")
        w.raw("worst_to_acknowledge_s", s.worstToAcknowledge.map(ReportText.seconds) ?? "null")
        w.raw("worst_alarm", s.worstAlarm.map(JSONObjectWriter.quote) ?? "null")
        return w.finish()
    }

    static func json(_ f: Fault) -> String {
        var w = JSONObjectWriter()
        w.string("alarm", f.alarm)
        w.string("kind", f.kind.rawValue)
        w.string("reason", f.reason)
        w.string("location", f.location)
        w.raw("devices", Self.array(f.devices.map(JSONObjectWriter.quote)))
        w.bool("test", f.test)
        w.string("raised_at", RFC3339.format(f.raised))
        w.raw("cleared_at", f.cleared.map { JSONObjectWriter.quote(RFC3339.format($0)) } ?? "null")
        w.raw("lasted_s", ReportText.seconds(f.lasted))
        return w.finish()
    }

    static func json(_ d: DeviceOffline) -> String {
        var w = JSONObjectWriter()
        w.string("device", d.device)
        w.raw("offline_s", ReportText.seconds(d.offline))
        w.raw("faults", String(d.faults))
        w.bool("still_offline", d.stillOffline)
        return w.finish()
    }

    func json(_ t: OpenTicket) -> String {
        var w = JSONObjectWriter()
        w.string("id", t.id)
        w.string("building", t.building)
        w.string("title", t.title)
        w.string("state", t.state)
        w.string("opened_at", RFC3339.format(t.opened))
        w.raw("age_s", ReportText.seconds(until - t.opened))
        return w.finish()
    }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }
}
