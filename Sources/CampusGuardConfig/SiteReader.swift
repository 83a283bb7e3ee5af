import CampusGuardCore
import Foundation
import Yams

/// Reads the sections of a config file into a `SiteConfig`, checking references between them.
struct SiteReader {
    let directory: String
    private(set) var profiles: [String: DeviceProfile] = [:]

    init(directory: String) { self.directory = directory }

    mutating func read(_ r: inout MappingReader) -> SiteConfig? {
        var siteValue: SiteConfig.Site? = nil
        if var s = r.mapping("site", required: true) {
            let id = s.identifier("id", required: true)
            let name = s.string("name", required: true)
            let timezone = s.string("timezone") ?? "Asia/Shanghai"
            if TimeZone(identifier: timezone) == nil {
                s.report(
                    s.value("timezone"),
                    "site.timezone \"\(timezone)\" is not a known time zone (e.g. Asia/Shanghai)"
                )
            }
            s.finish()
            if let id, let name { siteValue = SiteConfig.Site(id: id, name: name, timezone: timezone) }
        }
        let (buildings, buildingIDs) = readBuildings(&r)
        let brokers = readBrokers(&r)
        let buses = readBuses(&r)
        let profileDirs = readProfileDirs(&r)
        let devices = readDevices(
            &r,
            buildingIDs: buildingIDs,
            brokers: brokers.map(\.id),
            buses: buses.map(\.id),
            profileDirs: profileDirs
        )
        var storage = SiteConfig.Storage()
        if var s = r.mapping("storage") {
            storage.path = s.string("path") ?? storage.path
            s.finish()
        }
        var api = SiteConfig.API()
        if var a = r.mapping("api") {
            if let listen = a.string("listen") {
                if Self.hostPort(listen) == nil {
                    a.report(a.value("listen"), "api.listen must be HOST:PORT, e.g. 127.0.0.1:8080")
                }
                api.listen = listen
            }
            api.tokensFile = a.string("tokens_file") ?? api.tokensFile
            a.finish()
        }
        let channels = readChannels(&r)
        let police = readPoliceLink(&r)
        var uplink: SiteConfig.Uplink? = nil
        if var u = r.mapping("uplink") {
            let url = u.string("url", required: true)
            if let url, !Self.isURL(url, schemes: ["mqtt", "mqtts"]) {
                u.report(u.value("url"), "uplink.url must be an mqtt:// or mqtts:// URL")
            }
            let prefix = u.string("topic_prefix", required: true)
            u.finish()
            if let url, let prefix { uplink = SiteConfig.Uplink(url: url, topicPrefix: prefix) }
        }
        var byKind: [LocationKind: [ChannelID: ThresholdSpec]] = [:]
        if let entries = r.entries("thresholds") {
            for e in entries {
                guard let kind = LocationKind(rawValue: e.key) else {
                    r.report(
                        e.keyNode,
                        "thresholds.\(e.key) is not a location kind (\(LocationKind.allCases.map(\.rawValue).joined(separator: ", ")))"
                    )
                    continue
                }
                guard let inner = e.value.mapping else {
                    r.report(e.value, "thresholds.\(e.key) must map channels to limits")
                    continue
                }
                byKind[kind] = ThresholdReader.read(
                    inner.map { (key: $0.key.string ?? "", keyNode: $0.key, value: $0.value) },
                    file: r.file,
                    path: "thresholds.\(e.key)",
                    log: r.log
                )
            }
        }
        let engine = readEngine(&r)
        guard let siteValue else { return nil }
        return SiteConfig(
            site: siteValue,
            buildings: buildings,
            devices: devices,
            mqttBrokers: brokers.isEmpty ? [SiteConfig.MQTTBroker(id: "local", url: "mqtt://127.0.0.1:1883")] : brokers,
            modbusBuses: buses,
            storage: storage,
            api: api,
            channels: channels,
            policeLink: police,
            uplink: uplink,
            thresholdsByLocationKind: byKind,
            engine: engine,
            profileDirs: profileDirs
        )
    }

    // MARK: - Sections

    /// The valid buildings, and every id declared (also of entries with other mistakes), so that
    /// one bad `kind` does not also make every device of that building "unknown".
    private func readBuildings(_ r: inout MappingReader) -> ([Building], Set<String>) {
        guard let nodes = r.sequence("locations") else {
            r.report(r.node, "locations is required: the site's buildings, each {id, name, kind}")
            return ([], [])
        }
        if nodes.isEmpty { r.report(r.value("locations"), "locations must list at least one building") }
        var out: [Building] = []
        var seen: Set<String> = []
        for (i, node) in nodes.enumerated() {
            guard var l = MappingReader(node, file: r.file, path: "locations[\(i)]", log: r.log) else { continue }
            let id = l.identifier("id", required: true)
            let name = l.string("name", required: true)
            let kind = l.oneOf("kind", LocationKind.self, required: true)
            let camera = l.string("camera_url")
            l.finish()
            if let id, !seen.insert(id).inserted {
                l.report(l.value("id"), "locations[\(i)].id \"\(id)\" is used twice")
                continue
            }
            guard let id, let name, let kind else { continue }
            out.append(Building(id: id, name: name, kind: kind, cameraURL: camera))
        }
        return (out, seen)
    }

    private func readBrokers(_ r: inout MappingReader) -> [SiteConfig.MQTTBroker] {
        guard var s = r.mapping("mqtt") else { return [] }
        var out: [SiteConfig.MQTTBroker] = []
        for (i, node) in (s.sequence("brokers") ?? []).enumerated() {
            guard var b = MappingReader(node, file: r.file, path: "mqtt.brokers[\(i)]", log: r.log) else { continue }
            let id = b.identifier("id", required: true)
            let url = b.string("url", required: true)
            var broker = SiteConfig.MQTTBroker(id: id ?? "", url: url ?? "")
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
            b.finish()
            guard let id, let url else { continue }
            if !Self.isURL(url, schemes: ["mqtt", "mqtts"]) {
                b.report(b.value("url"), "\(b.name("url")) must be a mqtt:// or mqtts:// URL with a host")
            } else if (broker.caFile != nil || broker.certFile != nil) && !url.lowercased().hasPrefix("mqtts") {
                b.report(b.value("url"), "\(b.name("url")): ca_file and cert_file need an mqtts:// URL")
            }
            if out.contains(where: { $0.id == id }) {
                b.report(b.value("id"), "\(b.name("id")) \"\(id)\" is used twice")
            }
            out.append(broker)
        }
        s.finish()
        return out
    }

    private func readBuses(_ r: inout MappingReader) -> [SiteConfig.ModbusBus] {
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

    private func readProfileDirs(_ r: inout MappingReader) -> [String] {
        guard let nodes = r.sequence("profile_dirs") else {
            return ProfileLoader.defaultDirectories(configDirectory: directory)
        }
        return nodes.compactMap { node in
            guard let s = node.scalar?.string, !s.isEmpty else {
                r.report(node, "profile_dirs entries must be directory paths")
                return nil
            }
            let path = s.hasPrefix("/") ? s : directory + "/" + s
            var isDir: ObjCBool = false
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) || !isDir.boolValue {
                r.report(node, "profile_dirs: \(path) is not a directory")
            }
            return path
        }
    }

    private mutating func readDevices(
        _ r: inout MappingReader,
        buildingIDs: Set<String>,
        brokers: [String],
        buses: [String],
        profileDirs: [String]
    ) -> [DeviceConfig] {
        guard let nodes = r.sequence("devices") else {
            r.report(r.node, "devices is required")
            return []
        }
        let available = ProfileLoader.index(directories: profileDirs)
        var out: [DeviceConfig] = []
        var topics: [String: String] = [:]
        var units: [String: String] = [:]
        for (i, node) in nodes.enumerated() {
            guard var d = MappingReader(node, file: r.file, path: "devices[\(i)]", log: r.log) else { continue }
            let id = d.identifier("id", required: true)
            let profileID = d.string("profile", required: true)
            let locationText = d.string("location", required: true)
            let name = d.string("name")
            let topic = d.string("topic")
            let broker = d.identifier("broker")
            let bridge = d.string("bridge")
            let bus = d.identifier("bus")
            let unit = d.int("unit", in: 1...247)
            let thresholdEntries = d.entries("thresholds")
            defer { d.finish() }
            if let id, out.contains(where: { $0.id == id }) {
                d.report(d.value("id"), "\(d.name("id")) \"\(id)\" is used twice")
            }
            var location: LocationPath? = nil
            if let locationText {
                location = LocationPath(locationText)
                if let l = location {
                    if !buildingIDs.contains(l.building) {
                        d.report(
                            d.value("location"),
                            "\(d.name("location")): unknown building \"\(l.building)\" (not under locations)"
                        )
                    }
                } else {
                    d.report(
                        d.value("location"),
                        "\(d.name("location")) must be BUILDING/FLOOR/ROOM, e.g. dorm-a/3/301"
                    )
                }
            }
            var profile: DeviceProfile? = nil
            if let profileID {
                if let cached = profiles[profileID] {
                    profile = cached
                } else if let file = available[profileID] {
                    let before = r.log.diagnostics.count
                    profile = ProfileLoader.load(file: file, log: r.log)
                    if let profile, r.log.diagnostics.count == before { profiles[profileID] = profile }
                } else {
                    d.report(
                        d.value("profile"),
                        "\(d.name("profile")): unknown profile \"\(profileID)\" (searched \(profileDirs.joined(separator: ", ")))"
                    )
                }
            }
            if let profile {
                switch profile.transport {
                case .mqtt:
                    if topic == nil {
                        d.report(node, "devices[\(i)]: an MQTT device (profile \(profile.id)) needs a topic")
                    }
                    if bus != nil || unit != nil {
                        d.report(
                            d.value("bus") ?? d.value("unit"),
                            "devices[\(i)]: bus and unit are for Modbus devices"
                        )
                    }
                case .modbus:
                    if bus == nil || unit == nil {
                        d.report(node, "devices[\(i)]: a Modbus device (profile \(profile.id)) needs a bus and a unit")
                    }
                    if topic != nil { d.report(d.value("topic"), "devices[\(i)]: topic is for MQTT devices") }
                }
            }
            if let topic, let id {
                if let other = topics[topic] {
                    d.report(d.value("topic"), "\(d.name("topic")) \"\(topic)\" is already the topic of \(other)")
                }
                topics[topic] = id
                if topic.contains("#") || topic.contains("+") {
                    d.report(d.value("topic"), "\(d.name("topic")) must not hold MQTT wildcards")
                }
            }
            if let broker, !brokers.contains(broker) {
                d.report(
                    d.value("broker"),
                    "\(d.name("broker")): unknown broker \"\(broker)\" (not under mqtt.brokers)"
                )
            }
            if let bus, !buses.contains(bus) {
                d.report(d.value("bus"), "\(d.name("bus")): unknown bus \"\(bus)\" (not under modbus.buses)")
            }
            if let bus, let unit, let id {
                let key = "\(bus)#\(unit)"
                if let other = units[key] {
                    d.report(d.value("unit"), "\(d.name("unit")): unit \(unit) on bus \(bus) is already \(other)")
                }
                units[key] = id
            }
            let thresholds = ThresholdReader.read(
                thresholdEntries ?? [],
                file: r.file,
                path: "\(d.path).thresholds",
                log: r.log,
                allowed: profile.map { Set($0.channels.keys) }
            )
            guard let id, let profileID, let location else { continue }
            out.append(
                DeviceConfig(
                    id: id,
                    name: name,
                    profile: profileID,
                    location: location,
                    topic: topic,
                    broker: broker,
                    bridge: bridge,
                    bus: bus,
                    unit: unit,
                    thresholds: thresholds
                )
            )
        }
        return out
    }

    private func readChannels(_ r: inout MappingReader) -> [SiteConfig.DeliveryChannel] {
        guard let nodes = r.sequence("channels") else { return [] }
        var out: [SiteConfig.DeliveryChannel] = []
        for (i, node) in nodes.enumerated() {
            guard var c = MappingReader(node, file: r.file, path: "channels[\(i)]", log: r.log) else { continue }
            let id = c.identifier("id", required: true)
            let type = c.oneOf("type", SiteConfig.DeliveryChannel.ChannelType.self, required: true)
            let url = c.string("url", required: true)
            let secret = c.string("secret_file")
            c.finish()
            if let url, !Self.isURL(url, schemes: ["http", "https"]) {
                c.report(c.value("url"), "\(c.name("url")) must be an http:// or https:// URL")
            }
            guard let id, let type, let url else { continue }
            if out.contains(where: { $0.id == id }) {
                c.report(c.value("id"), "\(c.name("id")) \"\(id)\" is used twice")
            }
            out.append(SiteConfig.DeliveryChannel(id: id, type: type, url: url, secretFile: secret))
        }
        return out
    }

    private func readPoliceLink(_ r: inout MappingReader) -> SiteConfig.PoliceLink? {
        guard var p = r.mapping("police_link") else { return nil }
        let host = p.string("host", required: true)
        let port = p.int("port", in: 1...65535, required: true)
        let account = p.string("account", required: true)
        let receiver = p.string("receiver") ?? "R0"
        let prefix = p.string("prefix") ?? "L0"
        p.finish()
        // SIA DC-09: account 3–16 hex digits; receiver R and line prefix L with 1–6 hex digits.
        if let account, !(3...16).contains(account.count) || !account.allSatisfy(\.isHexDigit) {
            p.report(p.value("account"), "police_link.account must be 3 to 16 hexadecimal digits")
        }
        if !Self.isPrefixed(receiver, "R") {
            p.report(p.value("receiver"), "police_link.receiver must be R followed by 1 to 6 hexadecimal digits")
        }
        if !Self.isPrefixed(prefix, "L") {
            p.report(p.value("prefix"), "police_link.prefix must be L followed by 1 to 6 hexadecimal digits")
        }
        guard let host, let port, let account else { return nil }
        return SiteConfig.PoliceLink(host: host, port: port, account: account, receiver: receiver, prefix: prefix)
    }

    private func readEngine(_ r: inout MappingReader) -> EngineSettings {
        var settings = EngineSettings()
        guard var e = r.mapping("engine") else { return settings }
        if var v = e.mapping("smoke_verification") {
            settings.smokeAcknowledgeWithin = v.duration("acknowledge_within") ?? settings.smokeAcknowledgeWithin
            settings.smokeInvestigateWithin = v.duration("investigate_within") ?? settings.smokeInvestigateWithin
            if settings.smokeAcknowledgeWithin.milliseconds == 0 {
                v.report(v.value("acknowledge_within"), "engine.smoke_verification.acknowledge_within must be above 0s")
            }
            v.finish()
        }
        settings.correlationWindow = e.duration("correlation_window") ?? settings.correlationWindow
        if var g = e.mapping("fault_grouping") {
            settings.faultGroupingDelay = g.duration("delay") ?? settings.faultGroupingDelay
            settings.buildingFaultMinimumDevices =
                g.int("min_devices", in: 2...100_000) ?? settings.buildingFaultMinimumDevices
            if let f = g.double("fraction") {
                if f <= 0 || f > 1 {
                    g.report(g.value("fraction"), "engine.fault_grouping.fraction must be above 0 and at most 1")
                }
                settings.buildingFaultFraction = f
            }
            g.finish()
        }
        e.finish()
        return settings
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
