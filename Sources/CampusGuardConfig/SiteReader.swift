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
            storage.keepReadings = s.duration("keep_readings") ?? storage.keepReadings
            if let size = s.byteSize("max_size") { storage.maxSize = size }
            storage.journalDirectory = s.string("journal_dir")
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
            api.ackLinkKeyFile = a.string("ack_link_key_file")
            if let url = a.string("public_url") {
                if !Self.isURL(url, schemes: ["http", "https"]) {
                    a.report(a.value("public_url"), "api.public_url must be an http:// or https:// URL")
                }
                api.publicURL = url
            }
            api.tlsCertFile = a.string("tls_cert_file")
            api.tlsKeyFile = a.string("tls_key_file")
            if (api.tlsCertFile == nil) != (api.tlsKeyFile == nil) {
                let given = api.tlsCertFile == nil ? "tls_key_file" : "tls_cert_file"
                a.report(
                    a.value(given),
                    "api.tls_cert_file and api.tls_key_file go together: give both for HTTPS, or neither"
                )
            }
            a.finish()
        }
        let channels = readDeliveryChannels(&r)
        let police = readPoliceLink(&r)
        let (roster, policies) = readEscalation(
            &r,
            timezone: siteValue?.timezone ?? "Asia/Shanghai",
            buildingIDs: buildingIDs,
            channelIDs: Set(channels.map(\.id))
        )
        var uplink: SiteConfig.Uplink? = nil
        if var u = r.mapping("uplink") {
            let url = u.string("url", required: true)
            if let url, !Self.isURL(url, schemes: ["mqtt", "mqtts"]) {
                u.report(u.value("url"), "uplink.url must be an mqtt:// or mqtts:// URL")
            }
            let prefix = u.string("topic_prefix", required: true)
            let connection = Self.readConnection(&u, id: "uplink", url: url ?? "")
            var link = SiteConfig.Uplink(url: url ?? "", topicPrefix: prefix ?? "", connection: connection)
            link.backlogRate = u.int("backlog_rate", in: 1...1_000_000) ?? link.backlogRate
            link.readingsPerMessage = u.int("readings_per_message", in: 1...10_000) ?? link.readingsPerMessage
            u.finish()
            if url != nil, prefix != nil { uplink = link }
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
            profileDirs: profileDirs,
            roster: roster,
            escalationPolicies: policies
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
            _ = l.value("contact_id_group")  // read and checked with police_link (SiteReader+PoliceLink)
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
            let enabled = d.bool("enabled") ?? true
            let thresholdEntries = d.entries("thresholds")
            _ = d.value("contact_id_zone")  // read and checked with police_link (SiteReader+PoliceLink)
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
            if let profile, !enabled, profile.isPanicButton {
                d.report(
                    d.value("enabled"),
                    "\(d.name("enabled")): \(id ?? "this device") is a panic button (profile \(profile.id)) and can never "
                        + "be disabled (GB 50394-2007 5.2.3); a press during a test is marked as a test"
                )
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
                    thresholds: thresholds,
                    enabled: enabled
                )
            )
        }
        return out
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
}
