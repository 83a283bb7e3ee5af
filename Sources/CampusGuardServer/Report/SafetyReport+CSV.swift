import CampusGuardCore
import CampusGuardStore

extension SafetyReport {
    /// The headers of `csv()`'s sections, each starting with `section`.
    public static let csvHeaders: [String: String] = [
        "alarms": "section,alarm,test,kind,raised_kind,severity,location,devices,raised_at,first_notice_at,"
            + "first_notice_channel,first_notice_after_s,acknowledged_by,acknowledged_at,acknowledged_after_s,"
            + "resolved_by,resolved_at,resolved_after_s",
        "summary": "section,scope,item,value",
        "faults": "section,alarm,test,kind,reason,location,devices,raised_at,cleared_at,lasted_s",
        "offline": "section,device,offline_s,faults,still_offline",
        "tickets": "section,id,building,title,state,opened_at,age_s",
    ]

    /// The sections of `csv()`, in order.
    public static let csvSections = ["alarms", "summary", "faults", "offline", "tickets"]

    /// One CSV document for spreadsheets: a section per table (alarms, summary, faults,
    /// offline, tickets), each a header line then its rows, sections apart by an empty line;
    /// the first field of every line names its section (`grep ^faults,` gives one table).
    /// Times in UTC (RFC 3339), durations in seconds.
    public func csv() -> String {
        func time(_ i: Instant?) -> String { i.map(RFC3339.format) ?? "" }
        var rows: [String: [[String]]] = [:]
        rows["alarms"] = alarms.map { a in
            [
                a.alarm, String(a.test), a.kind.rawValue, a.raisedKind.rawValue, a.severity.rawValue, a.location,
                a.devices.joined(separator: " "), time(a.raised), time(a.firstNotice?.at), a.firstNotice?.channel ?? "",
                a.firstNotice.map { ReportText.seconds($0.after) } ?? "",
                a.acknowledged?.by ?? "", time(a.acknowledged?.at),
                a.acknowledged.map { ReportText.seconds($0.after) } ?? "",
                a.resolved?.by ?? "", time(a.resolved?.at), a.resolved.map { ReportText.seconds($0.after) } ?? "",
            ]
        }
        rows["summary"] = Self.csv(summary, scope: "real") + Self.csv(testSummary, scope: "test")
        rows["faults"] = faults.map { f in
            [
                f.alarm, String(f.test), f.kind.rawValue, f.reason, f.location, f.devices.joined(separator: " "),
                time(f.raised), time(f.cleared), ReportText.seconds(f.lasted),
            ]
        }
        rows["offline"] = offline.map { d in
            [d.device, ReportText.seconds(d.offline), String(d.faults), String(d.stillOffline)]
        }
        rows["tickets"] = tickets.map { t in
            [t.id, t.building, t.title, t.state, time(t.opened), ReportText.seconds(until - t.opened)]
        }
        let sections = Self.csvSections.map { name in
            ([Self.csvHeaders[name]!]
                + (rows[name] ?? []).map { ([name] + $0).map(ReportText.csvField).joined(separator: ",") })
                .joined(separator: "\n")
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    static func csv(_ s: Summary, scope: String) -> [[String]] {
        var rows = [[scope, "alarms", String(s.alarms)]]
        rows += s.byKind.map { [scope, "kind:" + $0.kind.rawValue, String($0.count)] }
        rows.append([scope, "acknowledged", String(s.acknowledged)])
        rows.append([scope, "never_acknowledged", String(s.neverAcknowledged)])
        rows.append([scope, "median_to_acknowledge_s", s.medianToAcknowledge.map(ReportText.seconds) ?? ""])
        rows.append([scope, "worst_to_acknowledge_s", s.worstToAcknowledge.map(ReportText.seconds) ?? ""])
        rows.append([scope, "worst_alarm", s.worstAlarm ?? ""])
        return rows
    }
}
