import ArgumentParser
import CampusGuardConfig
import CampusGuardCore
import Foundation

extension DevicesCommand {
    /// Asks the running daemon (`GET /api/v1/devices`) and prints a table, or its JSON.
    func runLive() async throws {
        let command = "campusguard devices"
        var base = url ?? ""
        if live {
            let listen = try loadConfigOrExit(config ?? "").config.api.listen
            base = "http://" + Self.reachable(listen)
        }
        let token = try DaemonAPI.token(
            file: tokenFile,
            environment: ProcessInfo.processInfo.environment,
            command: command
        )
        let api = DaemonAPI(base: base, token: token, command: command, needs: "viewer or any other role")
        var query: [String] = []
        for (name, value) in [("building", building), ("kind", kind), ("status", status)] {
            if let value { query.append(name + "=" + Self.encode(value)) }
        }
        let path = "/api/v1/devices" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let text = try await api.text(path)
        if json {
            print(text)
            return
        }
        guard let answer = try? JSONParser.parse(text), case .array(let devices)? = answer["devices"] else {
            StandardError.write("\(command): the daemon's answer has no device list")
            throw ExitCode(1)
        }
        let now = Date().timeIntervalSince1970
        var rows = [["DEVICE", "STATUS", "KIND", "LOCATION", "LAST SEEN", "BATTERY", "OPEN ALARMS"]]
        for d in devices {
            let alarms: [String]
            if case .array(let open)? = d["open_alarms"] {
                alarms = open.compactMap { a in
                    guard case .string(let id)? = a["id"], case .string(let kind)? = a["kind"] else { return nil }
                    return "\(kind) \(id)"
                }
            } else {
                alarms = []
            }
            var battery = "-"
            if case .number(let n)? = d["battery"] { battery = "\(Int(n.rounded()))%" }
            rows.append([
                Self.text(d["id"]), Self.text(d["status"]), Self.text(d["kind"]),
                Self.text(d["location"]?["path"]), Self.ago(d["last_seen"], now: now), battery,
                alarms.isEmpty ? "-" : alarms.joined(separator: ", "),
            ])
        }
        for line in Self.table(rows) { print(line) }
        if devices.isEmpty { StandardError.write("no device matches") }
    }

    static func text(_ value: JSONValue?) -> String {
        if case .string(let s)? = value { return s }
        return "-"
    }

    /// `12 s ago`, `3 min ago`, `5 h ago`, `2 d ago`; `never` when the daemon has not heard it.
    static func ago(_ value: JSONValue?, now: Double) -> String {
        guard case .string(let s)? = value, let at = RFC3339.parse(s) else { return "never" }
        let seconds = max(0, Int(now - Double(at.millisecondsSinceEpoch) / 1000))
        if seconds < 60 { return "\(seconds) s ago" }
        if seconds < 3600 { return "\(seconds / 60) min ago" }
        if seconds < 86_400 { return "\(seconds / 3600) h ago" }
        return "\(seconds / 86_400) d ago"
    }

    /// `0.0.0.0:8080` listens everywhere; ask it on loopback.
    static func reachable(_ listen: String) -> String {
        for any in ["0.0.0.0:", "[::]:"] where listen.hasPrefix(any) {
            return "127.0.0.1:" + listen.dropFirst(any.count)
        }
        return listen
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&+=")))
            ?? s
    }
}
