import CampusGuardCore

extension WebPage {
    /// One open alarm or fault as a card: what, where, since when, its state, and what the
    /// viewer may do (acknowledge while nobody has; resolve once the condition has cleared).
    func alarmCard(_ alarm: Alarm, detailed: Bool = false) -> String {
        let id = Self.escape(alarm.id)
        let path = Self.escape(Self.pathSegment(alarm.id))
        var state = Self.stateLabel(alarm.state)
        if let by = alarm.acknowledgedBy, let at = alarm.acknowledgedAt {
            state += " · \(by) · \(time(at))"
        }
        var html = """
            <article class="card \(alarm.severity.rawValue)" id="alarm-\(id)" data-alarm="\(id)" \
            data-state="\(alarm.state.rawValue)">
            <h3>\(Self.escape(Self.kindAndSeverity(alarm.kind, alarm.severity)))</h3>

            """
        if alarm.test { html += "<p class=\"test\">测试或演练 · Test or drill</p>\n" }
        let devices = alarm.devices.map {
            "<a href=\"/devices/\(Self.escape(Self.pathSegment($0)))\">\(Self.escape(deviceName($0)))</a>"
        }
        html += """
            <p>地点 Place: <strong>\(Self.escape(place(alarm.location)))</strong><br>
            发生 Raised: \(Self.escape(time(alarm.raisedAt))) (\(Self.escape(Self.age(now - alarm.raisedAt))) ago)<br>
            状态 State: <strong class="state">\(Self.escape(state))</strong><br>
            设备 Devices: \(devices.joined(separator: ", "))</p>

            """
        if detailed {
            html += "<p>编号 ID: \(id) · 原因 Reason: \(Self.escape(alarm.reason))</p>\n"
        }
        guard let viewer, viewer.mayRespond else {
            if !detailed { html += "<p><a href=\"/alarms/\(path)\">详情 Details</a></p>\n" }
            return html + "</article>"
        }
        if alarm.state == .raised {
            html += """
                <form method="post" action="/alarms/\(path)/ack" class="inline">\(formToken())\
                <button type="submit" class="ack">确认 · Acknowledge</button></form>

                """
        }
        if alarm.state == .cleared {
            if detailed {
                html += """
                    <form method="post" action="/alarms/\(path)/resolve">\(formToken())
                    <label>处理说明 What was found and done
                    <textarea name="note" required maxlength="2000" rows="3"></textarea></label>
                    <button type="submit" class="resolve">处理完毕 · Resolve</button></form>

                    """
            } else {
                html += "<a class=\"button secondary\" href=\"/alarms/\(path)\">处理 · Resolve…</a>\n"
            }
        } else if !detailed {
            html += " <a href=\"/alarms/\(path)\">详情 Details</a>\n"
        }
        return html + "</article>"
    }

    /// `GET /alarms/{id}`: one alarm, with the resolve form (no auto-refresh: a note is being typed).
    func alarmPage(_ alarm: Alarm) -> String {
        var body = "<h1>报警 Alarm \(Self.escape(alarm.id))</h1>\n" + alarmCard(alarm, detailed: true)
        if alarm.state != .cleared && viewer?.mayRespond == true {
            body += """
                <p>信号消除后才能处理完毕（先确认）。 \
                An alarm can be resolved once its condition has cleared; acknowledge it now.</p>

                """
        }
        body += "<p><a href=\"/\">← 总览 Board</a></p>"
        return document(title: "报警 Alarm", body: body)
    }
}
