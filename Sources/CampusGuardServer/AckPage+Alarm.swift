import CampusGuardCore
import Foundation

extension AckPage {
    /// What a GET of the link shows: the alarm and, while nobody has acknowledged it, the
    /// button. Showing it changes nothing (chat apps open links to preview them).
    func confirm(alarm id: String, record: OpenAlarmRecord?, action: String) -> String {
        var body = details(id, record)
        if let record, let at = record.acknowledgedAt {
            let by = record.acknowledgedBy ?? "?"
            body += paragraph(
                Text(zh: "此报警已由 \(by) 于 \(time(at)) 确认。", en: "Already acknowledged by \(by) at \(time(at)).")
            )
        } else {
            body += paragraph(
                Text(
                    zh: "确认表示您已知晓并正在处理，通知将停止升级到下一级；报警本身不会因此关闭。",
                    en: "Acknowledging says you have seen the alarm and are responding: escalation to the next "
                        + "people stops. It does not close the alarm."
                )
            )
            body += """
                <form method="post" action="\(Self.escape(action))">
                <label>您的姓名（可选）<span class="en"> · Your name (optional)</span>
                <input name="by" maxlength="64" autocomplete="name"></label>
                <button type="submit">确认报警 · Acknowledge</button>
                </form>
                """
        }
        return page(title: Text(zh: "确认报警", en: "Acknowledge alarm"), body: body, tone: tone(record))
    }

    /// What a POST of the link shows once the engine has taken the acknowledgement.
    func acknowledged(alarm id: String, record: OpenAlarmRecord?, by: String, at: Instant, new: Bool) -> String {
        let text =
            new
            ? Text(
                zh: "已由 \(by) 于 \(time(at)) 确认，通知已停止升级。请按预案处置。",
                en: "Acknowledged by \(by) at \(time(at)); escalation has stopped. Respond as planned."
            )
            : Text(
                zh: "此报警此前已由 \(record?.acknowledgedBy ?? "他人") 确认。",
                en: "This alarm had already been acknowledged by \(record?.acknowledgedBy ?? "someone else")."
            )
        return page(
            title: Text(zh: "已确认", en: "Acknowledged"),
            body: paragraph(text) + details(id, record),
            tone: tone(record)
        )
    }

    private func tone(_ record: OpenAlarmRecord?) -> String { record?.severity.rawValue ?? "plain" }

    private func details(_ id: String, _ record: OpenAlarmRecord?) -> String {
        guard let r = record else {
            return "<dl><dt>报警 Alarm</dt><dd>\(Self.escape(id))</dd></dl>"
        }
        var rows: [(String, String)] = [
            ("报警 Alarm", "\(Self.kindName(r.kind)) · \(r.kind.rawValue)"),
            ("级别 Severity", "\(Self.severityName(r.severity)) · \(r.severity.rawValue)"),
            ("位置 Location", location(r.location)),
            ("发生 Raised", time(r.raisedAt)),
            ("设备 Devices", r.devices.joined(separator: ", ")),
            ("编号 ID", r.id),
        ]
        if r.clearedAt != nil { rows.append(("状态 State", "现场信号已消除 · condition cleared")) }
        let banner =
            r.test ? "<p class=\"test\">测试或演练，不报警 · Test or drill: not sent to the police</p>\n" : ""
        let items = rows.map { "<dt>\(Self.escape($0.0))</dt><dd>\(Self.escape($0.1))</dd>" }
        return banner + "<dl>\n" + items.joined(separator: "\n") + "\n</dl>"
    }

    /// `dorm-a/3/301` → `Dormitory A, 3, 301 (dorm-a/3/301)`.
    private func location(_ path: String) -> String {
        let parts = path.split(separator: "/").map(String.init)
        guard let first = parts.first, let building = site.building(first) else { return path }
        return ([building.name] + parts.dropFirst()).joined(separator: ", ") + " (\(path))"
    }

    /// Local time at the site: `2026-11-20 22:10:05`.
    func time(_ instant: Instant) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: site.site.timezone) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000))
    }

    static func kindName(_ kind: AlarmKind) -> String {
        switch kind {
        case .fire: "火警"
        case .smoke: "烟感报警"
        case .gasLeak: "燃气泄漏"
        case .electricalFireRisk: "电气火灾隐患"
        case .overheat: "温度过高"
        case .panic: "一键报警"
        case .deviceFault: "设备故障"
        case .tamper: "防拆报警"
        case .lowBattery: "电量低"
        }
    }

    static func severityName(_ severity: Severity) -> String {
        switch severity {
        case .critical: "紧急"
        case .major: "重要"
        case .minor: "一般"
        }
    }
}
