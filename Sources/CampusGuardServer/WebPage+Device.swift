import CampusGuardCore

extension WebPage {
    /// What the device page shows, read from the engine's board, the store and the inspection source.
    struct DeviceView {
        var config: DeviceConfig
        var snapshot: DeviceSnapshot?
        var charts: [WebChart]
        /// Its alarms and faults, newest first.
        var history: [Event]
        /// Nil: the inspection records could not be read.
        var inspections: [WebInspectionRecord]?
        /// Why the store's part is missing, if it is.
        var storeProblem: String?
    }

    /// `GET /devices/{id}`: status, last values, a chart per numeric channel over the last
    /// 24 hours, its alarms and faults, its inspections.
    func devicePage(_ view: DeviceView) -> String {
        let d = view.config
        var body = "<h1>\(Self.escape(d.name ?? d.id))</h1>\n"
        var rows: [(String, String)] = [
            ("编号 ID", Self.escape(d.id)),
            ("型号 Profile", Self.escape(d.profile)),
            ("地点 Place", Self.escape(place(d.location.description)) + " (\(Self.escape(d.location.description)))"),
        ]
        if let s = view.snapshot {
            rows.append(("状态 Status", Self.badge(s.status)))
            rows.append(("最后上报 Last seen", s.lastSeen.map { Self.escape(time($0)) } ?? "—"))
            if let since = s.offlineSince {
                rows.append(
                    ("离线 Offline since", Self.escape("\(time(since)) (\(s.offlineReason ?? "silent"))"))
                )
            }
            if let until = s.maintenanceUntil { rows.append(("维护至 Maintenance until", Self.escape(time(until)))) }
        } else {
            rows.append(("状态 Status", "未知 Unknown"))
        }
        body += "<dl>\n" + rows.map { "<dt>\(Self.escape($0.0))</dt><dd>\($0.1)</dd>" }.joined(separator: "\n")
        body += "\n</dl>\n"
        body += values(view.snapshot)
        body += "<h2>最近 24 小时 Last 24 hours</h2>\n"
        if let problem = view.storeProblem { body += "<p class=\"problem\">\(Self.escape(problem))</p>\n" }
        if view.charts.isEmpty {
            body += "<p>没有数值记录 · No numeric readings in the last 24 hours</p>\n"
        }
        for chart in view.charts {
            body += "<h3>\(Self.escape(chart.channel.description))</h3>\n" + chart.svg(time: time) + "\n"
        }
        body += history(view.history) + inspections(view.inspections)
        return document(title: d.name ?? d.id, body: body)
    }

    private func values(_ snapshot: DeviceSnapshot?) -> String {
        var html = "<h2>最新数值 Last values</h2>\n"
        guard let snapshot, !snapshot.values.isEmpty else { return html + "<p>还没有数值 · No values yet</p>\n" }
        html += "<table><thead><tr><th>通道 Channel</th><th>数值 Value</th><th>时间 At</th></tr></thead><tbody>\n"
        for channel in snapshot.values.keys.sorted() {
            let v = snapshot.values[channel]!
            let unit = channel.kind.unit
            let text = v.value.description + (unit.isEmpty || !Self.isNumber(v.value) ? "" : " " + unit)
            html +=
                "<tr><td>\(Self.escape(channel.description))</td><td>\(Self.escape(text))</td>"
                + "<td>\(Self.escape(time(v.at)))</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    private static func isNumber(_ value: ReadingValue) -> Bool {
        if case .number = value { return true }
        return false
    }

    private func history(_ events: [Event]) -> String {
        var html = "<h2>报警与故障 Alarms and faults</h2>\n"
        guard !events.isEmpty else { return html + "<p>没有记录 · No alarms or faults recorded</p>\n" }
        html += "<table><thead><tr><th>时间 At</th><th>事件 Event</th><th>类型 Kind</th><th>说明 Details</th></tr>"
        html += "</thead><tbody>\n"
        for e in events {
            var details = [e.alarm ?? ""]
            if let by = e.by { details.append("by \(by)") }
            if let note = e.note { details.append(note) }
            if e.test { details.append("test") }
            html +=
                "<tr><td>\(Self.escape(time(e.timestamp)))</td><td>\(Self.escape(Self.eventLabel(e.type)))</td>"
                + "<td>\(Self.escape(Self.kindAndSeverity(e.kind, e.severity)))</td>"
                + "<td>\(Self.escape(details.filter { !$0.isEmpty }.joined(separator: " · ")))</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    private func inspections(_ records: [WebInspectionRecord]?) -> String {
        var html = "<h2>巡检 Inspections</h2>\n"
        guard let records else { return html + "<p class=\"problem\">巡检记录无法读取 · Cannot read inspections</p>\n" }
        guard !records.isEmpty else { return html + "<p>没有巡检记录 · No inspection records</p>\n" }
        html += "<table><thead><tr><th>时间 At</th><th>检查人 By</th><th>结果 Result</th><th>备注 Note</th></tr>"
        html += "</thead><tbody>\n"
        for r in records {
            html +=
                "<tr><td>\(Self.escape(time(r.at)))</td><td>\(Self.escape(r.by))</td>"
                + "<td>\(Self.escape(r.result))</td><td>\(Self.escape(r.note ?? ""))</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }
}
