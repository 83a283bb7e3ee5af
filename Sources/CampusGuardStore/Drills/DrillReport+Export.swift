import CampusGuardCore

extension DrillReport {
    /// The header of `csv()`.
    public static let csvHeader =
        "drill,drill_name,alarm,kind,raised_kind,location,devices,raised_at,notified,"
        + "acknowledged_by,acknowledged_at,acknowledged_after_s,resolved_by,resolved_at,resolved_after_s"

    /// One line per alarm, after the header: for spreadsheets. Times in UTC (RFC 3339),
    /// durations in seconds from the alarm; `notified` lists the tiers as
    /// `tier 1 +0.052s duty-webhook; tier 2 not delivered`.
    public func csv() -> String {
        var lines = [Self.csvHeader]
        for result in drills {
            for a in result.alarms {
                let notified = a.tiers.map { t in
                    guard let after = t.after else { return "tier \(t.tier) not delivered" }
                    return "tier \(t.tier) +\(Self.seconds(after))s" + (t.channel.map { " " + $0 } ?? "")
                }
                let fields = [
                    String(result.drill.id), result.drill.name, a.alarm, a.kind.rawValue, a.raisedKind.rawValue,
                    a.location, a.devices.joined(separator: " "), RFC3339.format(a.raised),
                    notified.joined(separator: "; "),
                    a.acknowledged?.by ?? "", a.acknowledged.map { RFC3339.format($0.at) } ?? "",
                    a.acknowledged.map { Self.seconds($0.after) } ?? "",
                    a.resolved?.by ?? "", a.resolved.map { RFC3339.format($0.at) } ?? "",
                    a.resolved.map { Self.seconds($0.after) } ?? "",
                ]
                lines.append(fields.map(ReportText.csvField).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The whole report as one JSON object, for tools: times in UTC (RFC 3339), durations as
    /// seconds (`*_s`); keys as in docs/drills.md.
    public func json() -> String {
        var w = JSONObjectWriter()
        w.string("generated_at", RFC3339.format(generated))
        w.raw("drills", Self.array(drills.map(Self.json)))
        w.raw("overall", Self.json(overall))
        return w.finish()
    }

    static func json(_ r: DrillResult) -> String {
        let d = r.drill
        var w = JSONObjectWriter()
        w.raw("id", String(d.id))
        w.string("name", d.name)
        w.raw("buildings", d.buildings.map { Self.array($0.map(JSONObjectWriter.quote)) } ?? "null")
        w.bool("include_panic", d.includesPanicButtons)
        w.string("started_at", RFC3339.format(d.started))
        w.raw("stopped_at", d.stopped.map { JSONObjectWriter.quote(RFC3339.format($0)) } ?? "null")
        w.raw("started_by", d.startedBy.map(JSONObjectWriter.quote) ?? "null")
        w.raw("stopped_by", d.stoppedBy.map(JSONObjectWriter.quote) ?? "null")
        w.raw("alarms", Self.array(r.alarms.map(Self.json)))
        w.raw("summary", Self.json(r.summary))
        return w.finish()
    }

    static func json(_ a: AlarmResult) -> String {
        var w = JSONObjectWriter()
        w.string("alarm", a.alarm)
        w.string("kind", a.kind.rawValue)
        w.string("raised_kind", a.raisedKind.rawValue)
        w.string("location", a.location)
        w.raw("devices", Self.array(a.devices.map(JSONObjectWriter.quote)))
        w.string("raised_at", RFC3339.format(a.raised))
        let tiers = a.tiers.map { t in
            var o = JSONObjectWriter()
            o.raw("tier", String(t.tier))
            o.raw("sent_at", t.sent.map { JSONObjectWriter.quote(RFC3339.format($0)) } ?? "null")
            o.raw("channel", t.channel.map(JSONObjectWriter.quote) ?? "null")
            o.raw("after_s", t.after.map(Self.seconds) ?? "null")
            return o.finish()
        }
        w.raw("tiers", Self.array(tiers))
        w.raw("acknowledged", a.acknowledged.map(Self.json) ?? "null")
        w.raw("resolved", a.resolved.map(Self.json) ?? "null")
        return w.finish()
    }

    static func json(_ r: Response) -> String {
        var w = JSONObjectWriter()
        w.string("by", r.by)
        w.string("at", RFC3339.format(r.at))
        w.raw("after_s", Self.seconds(r.after))
        return w.finish()
    }

    static func json(_ s: Summary) -> String {
        var w = JSONObjectWriter()
        w.raw("alarms", String(s.alarms))
        w.raw("acknowledged_within_60s", String(s.acknowledgedPromptly))
        w.raw("acknowledged_later", String(s.acknowledgedLater))
        w.raw("never_acknowledged", String(s.neverAcknowledged))
        w.raw("median_to_acknowledge_s", s.medianToAcknowledge.map(Self.seconds) ?? "null")
        w.raw("slowest_to_acknowledge_s", s.slowestToAcknowledge.map(Self.seconds) ?? "null")
        w.raw("slowest_alarm", s.slowestAlarm.map(JSONObjectWriter.quote) ?? "null")
        let people = s.people.map { p in
            var o = JSONObjectWriter()
            o.string("person", p.person)
            o.raw("acknowledged", String(p.acknowledgements))
            o.raw("median_s", Self.seconds(p.median))
            o.raw("slowest_s", Self.seconds(p.slowest))
            return o.finish()
        }
        w.raw("by_person", Self.array(people))
        return w.finish()
    }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    /// Seconds with at most three decimals and no trailing zeros: `0.052`, `42`, `120.1`.
    public static func seconds(_ i: Interval) -> String { ReportText.seconds(i) }
}
