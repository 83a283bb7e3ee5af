import CampusGuardCore
import Foundation

/// The alarms of `GET /api/v1/alarms` as `campusguard alarms` prints them: one line each,
/// columns lined up, times in the local time zone.
enum AlarmTable {
    static let header = ["ID", "KIND", "SEVERITY", "PLACE", "RAISED", "STATE", "ACKNOWLEDGED BY"]

    /// The table, or a line saying there is none; `alarms` is the answer's `alarms` array.
    static func render(_ alarms: [JSONValue], timeZone: TimeZone) -> String {
        guard !alarms.isEmpty else { return "no alarm\n" }
        let rows = alarms.map { a in
            [
                string(a["id"]), string(a["kind"]) + (a["test"] == .bool(true) ? " (test)" : ""),
                string(a["severity"]), string(a["location"]),
                RFC3339.parse(string(a["raised_at"])).map { localTime($0, timeZone) } ?? string(a["raised_at"]),
                string(a["state"]), string(a["acknowledged_by"]),
            ]
        }
        return lines([header] + rows).joined(separator: "\n") + "\n"
    }

    /// Columns padded to their widest cell (a CJK character counts two), two spaces apart.
    static func lines(_ rows: [[String]]) -> [String] {
        let count = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: count)
        for row in rows {
            for (k, cell) in row.enumerated() { widths[k] = max(widths[k], width(cell)) }
        }
        return rows.map { row in
            var line = ""
            for (k, cell) in row.enumerated() {
                line += cell
                if k < row.count - 1 { line += String(repeating: " ", count: widths[k] - width(cell) + 2) }
            }
            return line
        }
    }

    /// How many terminal columns the text takes: East Asian wide characters take two.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { n, s in
            let v = s.value
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return n + (wide ? 2 : 1)
        }
    }

    /// `2026-11-20 22:10:00 +08:00`.
    static func localTime(_ instant: Instant, _ zone: TimeZone) -> String {
        let date = Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
        let offset = zone.secondsFromGMT(for: date)
        let shifted = Instant(millisecondsSinceEpoch: instant.millisecondsSinceEpoch + Int64(offset) * 1000)
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600
        let minutes = abs(offset) % 3600 / 60
        let zoneText = sign + (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes)"
        return String(RFC3339.format(shifted).prefix(19)).replacing("T", with: " ") + " " + zoneText
    }

    static func string(_ value: JSONValue?) -> String {
        switch value {
        case .string(let s)?: return s
        case .number(let n)?: return String(n)
        case .bool(let b)?: return String(b)
        default: return "—"
        }
    }

    /// A query value: everything but unreserved characters percent-encoded (`+` in a time
    /// zone offset must stay a plus).
    static func queryValue(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
