import CampusGuardCore

extension WebPage {
    /// A device status's colour (the CSS class `s-<status>`, a CSS variable) and the words
    /// beside it, so the status never depends on colour alone.
    static func label(_ status: DeviceStatus) -> String {
        switch status {
        case .ok: "正常 OK"
        case .alarm: "报警 Alarm"
        case .fault: "故障 Fault"
        case .offline: "离线 Offline"
        case .maintenance: "维护 Maintenance"
        case .disabled: "停用 Disabled"
        }
    }

    /// The colour a status is shown in, as hex (the style sheet's variables hold the same).
    static func colour(_ status: DeviceStatus) -> String {
        switch status {
        case .ok: "#1b7f3b"
        case .alarm: "#c62828"
        case .fault: "#f0a000"
        case .offline: "#6b6b6b"
        case .maintenance: "#1e5fbf"
        case .disabled: "#d9d9d9"
        }
    }

    static func stateLabel(_ state: AlarmState) -> String {
        switch state {
        case .raised: "未确认 Not acknowledged"
        case .acknowledged: "已确认 Acknowledged"
        case .cleared: "信号已消除，待处理 Cleared, to be resolved"
        case .resolved: "已处理 Resolved"
        }
    }

    /// `一键报警 panic · 紧急 critical`.
    static func kindAndSeverity(_ kind: AlarmKind, _ severity: Severity) -> String {
        "\(AckPage.kindName(kind)) \(kind.rawValue) · \(AckPage.severityName(severity)) \(severity.rawValue)"
    }

    static func eventLabel(_ type: EventType) -> String {
        switch type {
        case .alarmRaised: "报警 raised"
        case .alarmUpdated: "更新 updated"
        case .alarmEscalated: "升级 escalated"
        case .alarmAcknowledged: "确认 acknowledged"
        case .alarmCleared: "消除 cleared"
        case .alarmResolved: "处理完毕 resolved"
        case .faultRaised: "故障 fault raised"
        case .faultCleared: "故障消除 fault cleared"
        case .deliveryPlanned: "通知计划 delivery planned"
        case .deliverySent: "已通知 delivery sent"
        case .deliveryFailed: "通知失败 delivery failed"
        }
    }

    /// A status badge: colour and words.
    static func badge(_ status: DeviceStatus) -> String {
        "<span class=\"badge s-\(status.rawValue)\">\(escape(label(status)))</span>"
    }
}
