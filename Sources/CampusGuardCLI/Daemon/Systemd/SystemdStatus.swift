import CampusGuardCore
import CampusGuardServer

/// The one-line status systemd shows (`systemctl status campusguard`): devices online and
/// offline, active alarms and open faults, and the parts that are degraded.
///
/// `120 devices online, 3 offline, 1 active alarm; degraded: store (disk_full)`
public enum SystemdStatus {
    /// The line for this board (its devices, alarms and drill) and the parts that are not ok
    /// (`/readyz`'s parts: store, brokers, buses, police link, uplink, channels).
    public static func line(board: EngineBoard, parts: [PartHealth]) -> String {
        let counts = board.statusCounts
        let online = (counts[.ok] ?? 0) + (counts[.alarm] ?? 0) + (counts[.fault] ?? 0)
        var phrases = [
            "\(online) device\(online == 1 ? "" : "s") online",
            "\(counts[.offline] ?? 0) offline",
        ]
        if let n = counts[.maintenance], n > 0 { phrases.append("\(n) in maintenance") }
        let alarms = board.activeAlarms.count
        phrases.append("\(alarms) active alarm\(alarms == 1 ? "" : "s")")
        let faults = board.openAlarms.count - alarms
        if faults > 0 { phrases.append("\(faults) open fault\(faults == 1 ? "" : "s")") }
        if board.drill != nil { phrases.append("drill in progress") }
        var line = phrases.joined(separator: ", ")
        // The condition (`disk_full`, `read_only`, …), not the whole error text.
        let degraded = parts.filter { $0.state != .ok }.map { part in
            part.reason.map { "\(part.name) (\($0.prefix { $0 != ":" }))" } ?? part.name
        }
        if !degraded.isEmpty { line += "; degraded: " + degraded.joined(separator: ", ") }
        return line
    }
}
