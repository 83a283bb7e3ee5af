import CampusGuardCore
import CampusGuardDelivery
import CampusGuardStore

extension DrillReport {
    /// The report as the safety officer files it: Markdown, headings and labels in Chinese
    /// with the English beside them, times in the site's time zone.
    public func markdown(site: SiteConfig) -> String {
        let zone = site.site.timezone
        func time(_ i: Instant) -> String { StaffMessage.localTime(i, timeZone: zone) }
        var out = [
            "# 演练报告 · Drill report", "",
            "\(Self.cell(site.site.name)) (\(site.site.id)) · 生成于 Generated \(time(generated)) (\(zone))",
        ]
        if drills.isEmpty {
            out += ["", "没有演练记录。 · No drill recorded in this range."]
        }
        for result in drills {
            let d = result.drill
            out += ["", "## 演练 Drill #\(d.id): \(Self.cell(d.name))", ""]
            out += ["| 项目 · Item | |", "|---|---|"]
            out.append("| 范围 · Covers | \(Self.buildings(d.buildings, site: site)) |")
            out.append(
                "| 一键报警 · Panic buttons | "
                    + (d.includesPanicButtons
                        ? "纳入演练 · part of the drill (not sent to the police) |"
                        : "照常报警，不参加演练 · live, not part of the drill |")
            )
            out.append("| 开始 · Started | \(time(d.started))\(Self.who(d.startedBy)) |")
            if let stopped = d.stopped {
                out.append("| 结束 · Stopped | \(time(stopped))\(Self.who(d.stoppedBy)) |")
            } else {
                out.append("| 结束 · Stopped | 尚未结束 · still running |")
            }
            out.append("| 时长 · Duration | \(Self.duration(result.end - d.started)) |")
            out += ["", "### 报警 · Alarms", ""]
            if result.alarms.isEmpty {
                out.append("演练期间没有测试报警。 · No test alarm was raised during the drill.")
            } else {
                out += Self.alarmTable(result.alarms, time: time)
            }
            out += Self.summary(result.summary, title: "### 小结 · Summary")
        }
        if drills.count > 1 {
            out += Self.summary(overall, title: "## 全部演练小结 · Summary of all drills")
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func alarmTable(_ alarms: [AlarmResult], time: (Instant) -> String) -> [String] {
        var out = [
            "| 报警 · Alarm | 类型 · Kind | 位置 · Location | 触发 · Raised | 通知 · Notified | 确认 · Acknowledged | 处理完毕 · Resolved |",
            "|---|---|---|---|---|---|---|",
        ]
        for a in alarms {
            var kind = Self.kindName(a.kind)
            if a.raisedKind != a.kind { kind = Self.kindName(a.raisedKind) + " → " + kind }
            let tiers =
                a.tiers.isEmpty
                ? "—"
                : a.tiers.map { t in
                    let head = "第 \(t.tier) 级 · tier \(t.tier): "
                    guard let after = t.after else { return head + "未送达 · not delivered" }
                    return head + "+" + Self.duration(after) + (t.channel.map { " (\(Self.cell($0)))" } ?? "")
                }
                .joined(separator: "<br>")
            let ack = a.acknowledged.map { "\(Self.cell($0.by)), +\(Self.duration($0.after))" } ?? "**未确认 · never**"
            let resolved = a.resolved.map { "\(Self.cell($0.by)), +\(Self.duration($0.after))" } ?? "—"
            out.append(
                "| \(a.alarm) | \(kind) | \(Self.cell(a.location)) | \(time(a.raised)) | \(tiers) | \(ack) | \(resolved) |"
            )
        }
        return out
    }

    static func summary(_ s: Summary, title: String) -> [String] {
        var out = ["", title, "", "| 项目 · Item | |", "|---|---|"]
        out.append("| 报警数 · Alarms | \(s.alarms) |")
        out.append("| 60 秒内确认 · Acknowledged within 60 s | \(s.acknowledgedPromptly) |")
        out.append("| 超过 60 秒确认 · Acknowledged later | \(s.acknowledgedLater) |")
        out.append("| 无人确认 · Never acknowledged | \(s.neverAcknowledged) |")
        out.append("| 确认用时中位数 · Median time to acknowledge | \(s.medianToAcknowledge.map(duration) ?? "—") |")
        let slowest = s.slowestToAcknowledge.map { duration($0) + (s.slowestAlarm.map { " (\($0))" } ?? "") }
        out.append("| 最慢确认 · Slowest acknowledgement | \(slowest ?? "—") |")
        guard !s.people.isEmpty else { return out }
        out += ["", "按人员 · By person:", ""]
        out += ["| 人员 · Person | 确认次数 · Acknowledged | 中位数 · Median | 最慢 · Slowest |", "|---|---|---|---|"]
        for p in s.people {
            out.append("| \(cell(p.person)) | \(p.acknowledgements) | \(duration(p.median)) | \(duration(p.slowest)) |")
        }
        return out
    }

    static func buildings(_ ids: [String]?, site: SiteConfig) -> String {
        guard let ids else { return "全校 · whole site" }
        return ids.map { id in site.building(id).map { "\(cell($0.name)) (\(id))" } ?? id }.joined(separator: ", ")
    }

    static func who(_ name: String?) -> String { name.map { ", \(cell($0))" } ?? "" }

    static func duration(_ i: Interval) -> String { ReportText.duration(i) }

    static func cell(_ text: String) -> String { ReportText.cell(text) }

    static func kindName(_ kind: AlarmKind) -> String { ReportText.kindName(kind) }
}
