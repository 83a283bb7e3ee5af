import CampusGuardCore
import Foundation
import Yams

/// The sections that name endpoints (brokers, buses, delivery channels, the police link), and
/// the checks of their values.
extension SiteReader {
    /// The connection keys shared by `mqtt.brokers` entries and `uplink`: client id, credentials, TLS, keepalive.
    static func readConnection(_ b: inout MappingReader, id: String, url: String) -> SiteConfig.MQTTBroker {
        var broker = SiteConfig.MQTTBroker(id: id, url: url)
        broker.clientID = b.string("client_id")
        broker.username = b.string("username")
        broker.passwordFile = b.string("password_file")
        broker.passwordCredential = b.string("password_credential")
        broker.caFile = b.string("ca_file")
        broker.certFile = b.string("cert_file")
        broker.keyFile = b.string("key_file")
        if let keepAlive = b.duration("keepalive") {
            if keepAlive < .seconds(5) || keepAlive > .seconds(65535) {
                b.report(b.value("keepalive"), "\(b.name("keepalive")) must be from 5s to 65535s")
            }
            broker.keepAlive = keepAlive
        }
        if broker.passwordFile != nil && broker.passwordCredential != nil {
            b.report(b.node, "\(b.path): give password_file or password_credential, not both")
        }
        if (broker.certFile == nil) != (broker.keyFile == nil) {
            b.report(b.node, "\(b.path): a client certificate needs both cert_file and key_file")
        }
        if (broker.caFile != nil || broker.certFile != nil) && !url.lowercased().hasPrefix("mqtts") {
            b.report(b.value("url"), "\(b.name("url")): ca_file and cert_file need an mqtts:// URL")
        }
        return broker
    }

    func readBrokers(_ r: inout MappingReader) -> [SiteConfig.MQTTBroker] {
        guard var s = r.mapping("mqtt") else { return [] }
        var out: [SiteConfig.MQTTBroker] = []
        for (i, node) in (s.sequence("brokers") ?? []).enumerated() {
            guard var b = MappingReader(node, file: r.file, path: "mqtt.brokers[\(i)]", log: r.log) else { continue }
            let id = b.identifier("id", required: true)
            let url = b.string("url", required: true)
            let broker = Self.readConnection(&b, id: id ?? "", url: url ?? "")
            b.finish()
            guard let id, let url else { continue }
            if !Self.isURL(url, schemes: ["mqtt", "mqtts"]) {
                b.report(b.value("url"), "\(b.name("url")) must be a mqtt:// or mqtts:// URL with a host")
            }
            if out.contains(where: { $0.id == id }) {
                b.report(b.value("id"), "\(b.name("id")) \"\(id)\" is used twice")
            }
            out.append(broker)
        }
        s.finish()
        return out
    }

    func readBuses(_ r: inout MappingReader) -> [SiteConfig.ModbusBus] {
        guard var s = r.mapping("modbus") else { return [] }
        var out: [SiteConfig.ModbusBus] = []
        for (i, node) in (s.sequence("buses") ?? []).enumerated() {
            guard var b = MappingReader(node, file: r.file, path: "modbus.buses[\(i)]", log: r.log) else { continue }
            let id = b.identifier("id", required: true)
            let url = b.string("url", required: true)
            var bus = SiteConfig.ModbusBus(id: id ?? "", url: url ?? "")
            bus.pollInterval = b.duration("poll_interval") ?? bus.pollInterval
            bus.responseTimeout = b.duration("response_timeout") ?? bus.responseTimeout
            bus.retries = b.int("retries", in: 0...10) ?? bus.retries
            bus.requestDelay = b.duration("request_delay")
            if bus.pollInterval < Interval(milliseconds: 100) || bus.pollInterval > .minutes(10) {
                b.report(b.value("poll_interval"), "\(b.name("poll_interval")) must be from 100ms to 10m")
            }
            if bus.responseTimeout < Interval(milliseconds: 10) || bus.responseTimeout > .seconds(30) {
                b.report(b.value("response_timeout"), "\(b.name("response_timeout")) must be from 10ms to 30s")
            }
            b.finish()
            guard let id, let url else { continue }
            if let problem = Self.modbusURLProblem(url) { b.report(b.value("url"), "\(b.name("url")): \(problem)") }
            if out.contains(where: { $0.id == id }) {
                b.report(b.value("id"), "\(b.name("id")) \"\(id)\" is used twice")
            }
            out.append(bus)
        }
        s.finish()
        return out
    }

    // MARK: - Value checks

    static func isURL(_ text: String, schemes: Set<String>) -> Bool {
        guard let c = URLComponents(string: text), let scheme = c.scheme?.lowercased(), schemes.contains(scheme),
            let host = c.host, !host.isEmpty
        else { return false }
        return true
    }

    static func hostPort(_ text: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        let host = String(text[..<colon])
        return host.isEmpty ? nil : (host, port)
    }

    static func isPrefixed(_ text: String, _ letter: Character) -> Bool {
        guard text.first == letter else { return false }
        let rest = text.dropFirst()
        return (1...6).contains(rest.count) && rest.allSatisfy(\.isHexDigit)
    }

    /// `tcp://HOST:PORT` or `rtu:///dev/ttyUSB0?baud=9600&parity=N&data=8&stop=1`; nil when fine.
    static func modbusURLProblem(_ text: String) -> String? {
        guard let c = URLComponents(string: text), let scheme = c.scheme?.lowercased() else {
            return "must be tcp://HOST:PORT or rtu:///dev/DEVICE?baud=9600&parity=N&data=8&stop=1"
        }
        switch scheme {
        case "tcp":
            guard let host = c.host, !host.isEmpty else { return "tcp:// needs a host" }
            if let port = c.port, !(1...65535).contains(port) { return "port out of range" }
            return nil
        case "rtu":
            guard c.path.hasPrefix("/dev/") else {
                return "rtu:// needs a serial device path such as rtu:///dev/ttyUSB0"
            }
            for item in c.queryItems ?? [] {
                let v = item.value ?? ""
                switch item.name {
                case "baud":
                    if Int(v).map({ $0 >= 300 && $0 <= 921_600 }) != true { return "baud must be a rate such as 9600" }
                case "parity": if !["N", "E", "O"].contains(v.uppercased()) { return "parity must be N, E or O" }
                case "data": if !["7", "8"].contains(v) { return "data must be 7 or 8" }
                case "stop": if !["1", "2"].contains(v) { return "stop must be 1 or 2" }
                default: return "unknown option \(item.name) (baud, parity, data, stop)"
                }
            }
            return nil
        default:
            return "scheme must be tcp or rtu"
        }
    }
}
