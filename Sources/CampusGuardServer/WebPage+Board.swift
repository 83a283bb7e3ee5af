import CampusGuardCore

extension WebPage {
    /// `GET /`: active alarms on top, open faults, the count per status, then every building,
    /// floor and room of the config with each device as a tile in its status's colour.
    func board(_ board: EngineBoard, notice: String? = nil) -> String {
        var body = "<h1>总览 Board</h1>\n"
        if let notice { body += "<p class=\"notice\" role=\"status\">\(Self.escape(notice))</p>\n" }
        if let drill = board.drill {
            body +=
                "<p class=\"test\">演练进行中 Drill in progress: \(Self.escape(drill.name)) · "
                + "\(Self.escape(time(drill.startedAt)))</p>\n"
        }
        let active = board.activeAlarms
        body += "<section id=\"alarms\"><h2>报警 Active alarms (\(active.count))</h2>\n"
        body += active.isEmpty ? "<p>没有报警 · No active alarms</p>\n" : active.map { alarmCard($0) + "\n" }.joined()
        body += "</section>\n"
        let faults = board.openAlarms.filter(\.kind.isFault)
        if !faults.isEmpty {
            body += "<section id=\"faults\"><h2>故障 Open faults (\(faults.count))</h2>\n"
            body += faults.map { alarmCard($0) + "\n" }.joined() + "</section>\n"
        }
        body += legend(board) + devices(board)
        return document(title: "总览 Board", body: body, refresh: 10)
    }

    private func legend(_ board: EngineBoard) -> String {
        let counts = board.statusCounts
        let items = DeviceStatus.allCases.map { status in
            "<span class=\"badge s-\(status.rawValue)\">\(Self.escape(Self.label(status))): \(counts[status] ?? 0)</span>"
        }
        return "<h2>设备 Devices</h2>\n<p class=\"legend\">" + items.joined(separator: " ") + "</p>\n"
    }

    /// Buildings in config order; floors and rooms in the order their first device appears.
    private func devices(_ board: EngineBoard) -> String {
        let snapshots = Dictionary(board.devices.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var html = ""
        for building in site.buildings {
            let inBuilding = site.devices.filter { $0.location.building == building.id }
            guard !inBuilding.isEmpty else { continue }
            html += "<section class=\"building\"><h2>\(Self.escape(building.name))</h2>\n"
            for floor in Self.ordered(inBuilding.map(\.location.floor)) {
                html += "<h3>楼层 Floor \(Self.escape(floor))</h3>\n"
                let onFloor = inBuilding.filter { $0.location.floor == floor }
                for room in Self.ordered(onFloor.map(\.location.room)) {
                    html += "<h4>\(Self.escape(room))</h4>\n<div class=\"tiles\">\n"
                    for device in onFloor where device.location.room == room {
                        html += tile(device, snapshots[device.id]) + "\n"
                    }
                    html += "</div>\n"
                }
            }
            html += "</section>\n"
        }
        return html
    }

    /// A device's tile: its name, and its status in words; unknown before the engine's first board.
    func tile(_ device: DeviceConfig, _ snapshot: DeviceSnapshot?) -> String {
        let status = snapshot?.status
        let cls = status.map { "s-\($0.rawValue)" } ?? "s-unknown"
        let label = status.map(Self.label) ?? "未知 Unknown"
        return """
            <a class="tile \(cls)" href="/devices/\(Self.escape(Self.pathSegment(device.id)))" \
            data-device="\(Self.escape(device.id))" data-status="\(status?.rawValue ?? "unknown")">\
            <span class="label">\(Self.escape(label))</span>\(Self.escape(device.name ?? device.id))</a>
            """
    }

    /// Each value once, in the order it first appears.
    static func ordered(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
