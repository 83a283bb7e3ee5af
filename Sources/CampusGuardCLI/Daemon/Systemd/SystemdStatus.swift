import CampusGuardCore

/// The one-line status systemd shows (`systemctl status campusguard`): devices online and
/// offline, active alarms and open faults, and the parts that are degraded.
///
/// `120 devices online, 3 offline, 1 active alarm; degraded: store (disk_full)`
public enum SystemdStatus {
    /// The line for this board (its devices, alarms and drill) and the store's health.
    public static func line(board: EngineBoard, store: StoreHealth) -> String {
        let counts = board.statusCounts
        let online = (counts[.ok] ?? 0) + (counts[.alarm] ?? 0) + (counts[.fault] ?? 0)
        var parts = [
            "\(online) device\(online == 1 ? "" : "s") online",
            "\(counts[.offline] ?? 0) offline",
        ]
        if let n = counts[.maintenance], n > 0 { parts.append("\(n) in maintenance") }
        let alarms = board.activeAlarms.count
        parts.append("\(alarms) active alarm\(alarms == 1 ? "" : "s")")
        let faults = board.openAlarms.count - alarms
        if faults > 0 { parts.append("\(faults) open fault\(faults == 1 ? "" : "s")") }
        if board.drill != nil { parts.append("drill in progress") }
        var line = parts.joined(separator: ", ")
        var degraded: [String] = []
        if case .degraded(let reason) = store {
            // The condition (`disk_full`, `read_only`, …), not the whole error text.
            degraded.append("store (\(reason.prefix { $0 != ":" }))")
        }
        if !degraded.isEmpty { line += "; degraded: " + degraded.joined(separator: ", ") }
        return line
    }
}
