import CampusGuardCore
import CampusGuardStore

extension SafetyReport {
    /// The report as the safety officer files it: Markdown tables, headings in Chinese with
    /// the English beside them, times in the site's time zone.
    public func markdown(site: SiteConfig) -> String {
        let zone = site.site.timezone
        func time(_ i: Instant) -> String { ReportText.localTime(i, timeZone: zone) }
        var out = [
            "# 安全报告 · Safety report", "",
            "\(ReportText.cell(site.site.name)) (\(site.site.id)) · \(time(since)) — \(time(until)) (\(zone))",
        ]
        let real = alarms.filter { !$0.test }
        let tests = alarms.filter(\.test)
        out += ["", "## 报警 · Alarms", ""]
        out += real.isEmpty ? ["期间没有报警。 · No alarm in this period."] : Self.alarmTable(real, time: time)
        out += Self.summary(summary, title: "### 小结 · Summary")
        out += ["", "## 测试与演练 · Tests and drills", ""]
        out += tests.isEmpty ? ["期间没有测试报警。 · No test alarm in this period."] : Self.alarmTable(tests, time: time)
        if !tests.isEmpty { out += Self.summary(testSummary, title: "### 小结 · Summary of tests") }
        out += ["", "## 故障 · Faults", ""]
        out += faults.isEmpty ? ["期间没有故障。 · No fault in this period."] : faultTable(time: time)
        out += ["", "## 离线时间 · Offline time per device", ""]
        out += offline.isEmpty ? ["期间没有设备离线。 · No device was offline in this period."] : offlineTable()
        out += ["", "## 未关闭的隐患 · Open hazard tickets", ""]
        out += tickets.isEmpty ? ["没有未关闭的隐患。 · No open hazard ticket."] : ticketTable(site: site, time: time)
        return out.joined(separator: "\n") + "\n"
    }

    static func alarmTable(_ alarms: [AlarmResponse], time: (Instant) -> String) -> [String] {
        var out = [
            "| 报警 · Alarm | 类型 · Kind | 位置 · Location | 触发 · Raised | 首次通知 · First notice | 确认 · Acknowledged | 处理完毕 · Resolved |",
            "|---|---|---|---|---|---|---|",
        ]
        for a in alarms {
            var kind = ReportText.kindName(a.kind)
            if a.raisedKind != a.kind { kind = ReportText.kindName(a.raisedKind) + " → " + kind }
            let notice =
                a.firstNotice.map { "+\(ReportText.duration($0.after))" + ($0.channel.map { " (\($0))" } ?? "") }
                ?? "未送达 · none delivered"
            let ack = a.acknowledged.map(answer) ?? "**未确认 · never**"
            let resolved = a.resolved.map(answer) ?? "—"
            out.append(
                "| \(a.alarm) | \(kind) | \(ReportText.cell(a.location)) | \(time(a.raised)) | \(ReportText.cell(notice)) | \(ack) | \(resolved) |"
            )
        }
        return out
    }

    static func answer(_ a: Answer) -> String { "\(ReportText.cell(a.by)), +\(ReportText.duration(a.after))" }

    static func summary(_ s: Summary, title: String) -> [String] {
        var out = ["", title, "", "| 项目 · Item | |", "|---|---|"]
        out.append("| 报警数 · Alarms | \(s.alarms) |")
        for k in s.byKind { out.append("| \(ReportText.kindName(k.kind)) | \(k.count) |") }
        out.append("| 已确认 · Acknowledged | \(s.acknowledged) |")
        out.append("| 无人确认 · Never acknowledged | \(s.neverAcknowledged) |")
        out.append(
            "| 确认用时中位数 · Median time to acknowledge | \(s.medianToAcknowledge.map(ReportText.duration) ?? "—") |"
        )
        let worst = s.worstToAcknowledge.map { ReportText.duration($0) + (s.worstAlarm.map { " (\($0))" } ?? "") }
        out.append("| 最慢确认 · Slowest acknowledgement | \(worst ?? "—") |")
        return out
    }

    func faultTable(time: (Instant) -> String) -> [String] {
        var out = [
            "| 故障 · Fault | 类型 · Kind | 原因 · Reason | 位置 · Location | 设备 · Devices | 开始 · Raised | 恢复 · Cleared | 持续 · Lasted |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for f in faults {
            let cleared = f.cleared.map(time) ?? "**未恢复 · still open**"
            let test = f.test ? " (测试 · test)" : ""
            out.append(
                "| \(f.alarm)\(test) | \(ReportText.kindName(f.kind)) | \(f.reason) | \(ReportText.cell(f.location)) | "
                    + "\(ReportText.cell(f.devices.joined(separator: ", "))) | \(time(f.raised)) | \(cleared) | "
                    + "\(ReportText.duration(f.lasted)) |"
            )
        }
        return out
    }

    func offlineTable() -> [String] {
        var out = [
            "| 设备 · Device | 离线时间 · Offline | 故障次数 · Faults | 现状 · Now |", "|---|---|---|---|",
        ]
        for d in offline {
            let now = d.stillOffline ? "**仍离线 · still offline**" : "在线 · back online"
            out.append("| \(ReportText.cell(d.device)) | \(ReportText.duration(d.offline)) | \(d.faults) | \(now) |")
        }
        return out
    }

    func ticketTable(site: SiteConfig, time: (Instant) -> String) -> [String] {
        var out = [
            "| 隐患 · Ticket | 楼 · Building | 内容 · Title | 状态 · State | 发现 · Opened | 已开 · Age |",
            "|---|---|---|---|---|---|",
        ]
        for t in tickets {
            let building = site.building(t.building).map { "\(ReportText.cell($0.name)) (\(t.building))" } ?? t.building
            out.append(
                "| \(ReportText.cell(t.id)) | \(building) | \(ReportText.cell(t.title)) | \(t.state) | "
                    + "\(time(t.opened)) | \(ReportText.duration(until - t.opened)) |"
            )
        }
        return out
    }
}
