import CampusGuardCore
import Foundation

/// How the reports (the safety report, the drill report) write times, durations and cells,
/// so that a person reads the same words in both.
public enum ReportText {
    /// `2026-11-20 22:10:00` in the site's time zone.
    public static func localTime(_ instant: Instant, timeZone: String) -> String {
        let date = Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
        let offset = TimeZone(identifier: timeZone)?.secondsFromGMT(for: date) ?? 0
        let shifted = Instant(millisecondsSinceEpoch: instant.millisecondsSinceEpoch + Int64(offset) * 1000)
        return String(RFC3339.format(shifted).prefix(19)).replacing("T", with: " ")
    }

    /// `0.05 s`, `42 s`, `2 min 5 s`, `1 h 3 min`, `2 d 4 h`.
    public static func duration(_ i: Interval) -> String {
        let ms = max(i.milliseconds, 0)
        if ms < 10_000 { return seconds(i) + " s" }
        let s = (ms + 500) / 1000
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" + (s % 60 == 0 ? "" : " \(s % 60) s") }
        if s < 86_400 { return "\(s / 3600) h" + ((s % 3600) / 60 == 0 ? "" : " \((s % 3600) / 60) min") }
        return "\(s / 86_400) d" + ((s % 86_400) / 3600 == 0 ? "" : " \((s % 86_400) / 3600) h")
    }

    /// Seconds with at most three decimals and no trailing zeros: `0.052`, `42`, `120.1`.
    public static func seconds(_ i: Interval) -> String {
        let ms = i.milliseconds
        let sign = ms < 0 ? "-" : ""
        let whole = abs(ms) / 1000
        var fraction = String(abs(ms) % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// Text safe inside a Markdown table cell.
    public static func cell(_ text: String) -> String {
        text.replacing("|", with: "\\|").replacing("\n", with: " ").replacing("\r", with: " ")
    }

    /// RFC 4180: quoted when it holds a comma, a quote or a line break.
    public static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacing("\"", with: "\"\"") + "\""
    }

    public static func kindName(_ kind: AlarmKind) -> String {
        let chinese: [AlarmKind: String] = [
            .fire: "火警", .smoke: "烟感报警", .gasLeak: "燃气泄漏", .electricalFireRisk: "电气火灾隐患",
            .overheat: "温度过高", .panic: "一键报警", .deviceFault: "设备故障", .tamper: "设备被拆动",
            .lowBattery: "电量低",
        ]
        return (chinese[kind].map { $0 + " · " } ?? "") + kind.rawValue
    }
}
