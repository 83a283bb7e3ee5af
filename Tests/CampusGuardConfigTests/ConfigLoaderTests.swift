import CampusGuardConfig
import CampusGuardCore
import Foundation
import Testing

@Suite("Config loading and validation")
struct ConfigLoaderTests {
    /// Loads config text as if it sat in Config/ of this repository (so the shipped profiles are found).
    func load(_ text: String) throws(ConfigError) -> LoadedConfig {
        try ConfigLoader.load(text: text, file: "test.yaml", directory: RepositoryPaths.root + "/Config")
    }

    func diagnostics(_ text: String) -> [String] {
        do {
            _ = try load(text)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test("the shipped example config is valid and has a device of every shipped profile")
    func example() throws {
        let loaded = try ConfigLoader.load(file: RepositoryPaths.exampleConfig)
        let profiles = Set(loaded.config.devices.map(\.profile))
        #expect(profiles == Set(ProfileTests.ids))
        #expect(loaded.config.mqttBrokers.count == 1)
        #expect(loaded.config.modbusBuses.count == 2)
        #expect(loaded.config.policeLink?.account == "1234")
        #expect(loaded.config.thresholdsByLocationKind[.kitchen]?[ChannelID(.temperature)]?.levels.first?.limit == 69)
        let kinds = Set(loaded.config.buildings.map(\.kind))
        #expect(kinds.isSuperset(of: [.dormitory, .canteen, .kitchen, .laboratory, .powerRoom, .gate]))
    }

    @Test("the contract's minimal config (site, locations, devices) is valid, everything else defaulted")
    func minimal() throws {
        let loaded = try load(
            """
            site: {id: demo-school, name: Demo School, timezone: Asia/Shanghai}
            locations:
              - {id: dorm-a, name: Dormitory A, kind: dormitory}
            devices:
              - {id: dorm-a-301-smoke-1, profile: heiman-hs1sa, location: dorm-a/3/301, topic: zigbee2mqtt/dorm-a-301-smoke-1}
            """
        )
        #expect(loaded.config.mqttBrokers == [SiteConfig.MQTTBroker(id: "local", url: "mqtt://127.0.0.1:1883")])
        #expect(loaded.config.storage.path == "/var/lib/campusguard/campusguard.sqlite")
        #expect(loaded.config.api.listen == "127.0.0.1:8080")
        #expect(loaded.config.engine == EngineSettings())
        let device = try #require(loaded.campus.device("dorm-a-301-smoke-1"))
        #expect(device.availabilityTopic == "zigbee2mqtt/dorm-a-301-smoke-1/availability")
        #expect(device.bridge == "zigbee2mqtt")
    }

    @Test("api: the acknowledge link's key file and public URL are read; absent, links are off")
    func apiKeys() throws {
        let base = """
            site: {id: demo, name: Demo}
            locations: [{id: dorm-a, name: Dormitory A, kind: dormitory}]
            devices: []

            """
        let api = try load(
            base + """
                api: {listen: "0.0.0.0:8080", tokens_file: /srv/tokens, ack_link_key_file: /srv/ack.key,
                      public_url: "http://gateway.school.lan:8080"}
                """
        ).config.api
        #expect(
            api
                == SiteConfig.API(
                    listen: "0.0.0.0:8080",
                    tokensFile: "/srv/tokens",
                    ackLinkKeyFile: "/srv/ack.key",
                    publicURL: "http://gateway.school.lan:8080"
                )
        )
        let https = try load(
            base + "api: {listen: \"0.0.0.0:8443\", tls_cert_file: /etc/cg/api.crt, tls_key_file: /etc/cg/api.key}\n"
        ).config.api
        #expect(https.tlsCertFile == "/etc/cg/api.crt" && https.tlsKeyFile == "/etc/cg/api.key" && https.usesTLS)
        let defaults = try load(base).config.api
        #expect(!defaults.usesTLS)
        #expect(defaults.ackLinkKeyFile == nil && defaults.publicURL == nil)
        #expect(defaults.tokensFile == "/etc/campusguard/tokens")
    }

    @Test("the config contract's full example parses")
    func contractExample() throws {
        let loaded = try load(
            """
            site: {id: demo-school, name: Demo School, timezone: Asia/Shanghai}
            locations:
              - {id: dorm-a, name: Dormitory A, kind: dormitory, camera_url: "rtsp://camera/1"}
            mqtt:
              brokers:
                - {id: local, url: "mqtt://127.0.0.1:1883"}
            modbus:
              buses:
                - {id: power-room, url: "tcp://127.0.0.1:1502"}
                - {id: serial, url: "rtu:///dev/ttyUSB0?baud=9600&parity=N&data=8&stop=1"}
            devices:
              - {id: dorm-a-301-smoke-1, profile: heiman-hs1sa, location: dorm-a/3/301, topic: zigbee2mqtt/dorm-a-301-smoke-1}
              - {id: power-rcm-1, profile: acrel-aim-r100, location: dorm-a/1/power, bus: power-room, unit: 1}
            storage: {path: /var/lib/campusguard/campusguard.sqlite}
            api: {listen: "127.0.0.1:8080", tokens_file: /etc/campusguard/tokens}
            channels:
              - {id: duty-webhook, type: webhook, url: "https://example.invalid/hook", secret_file: /etc/campusguard/webhook.secret}
              - {id: duty-dingtalk, type: dingtalk, url: "https://example.invalid/robot", secret_file: /etc/campusguard/ding.secret}
            police_link: {host: 127.0.0.1, port: 12128, account: "1234", receiver: "R0", prefix: "L0"}
            uplink: {url: "mqtts://platform.example.invalid", topic_prefix: "campus/demo-school"}
            """
        )
        #expect(loaded.config.channels.map(\.type) == [.webhook, .dingtalk])
        #expect(loaded.config.devices[1].unit == 1)
        #expect(loaded.config.uplink?.topicPrefix == "campus/demo-school")
    }

    @Test("every problem is reported at once as FILE:LINE:COLUMN: message")
    func everyProblemAtOnce() {
        let found = diagnostics(
            """
            site: {id: demo, name: Demo, timezone: Mars/Olympus}
            locations:
              - {id: dorm-a, name: A, kind: dorm}
              - {id: dorm-a, name: A2, kind: dormitory}
            devices:
              - {id: s1, profile: heiman-hs1sa, location: dorm-x/3/301, topic: zigbee2mqtt/s1}
              - {id: s1, profile: no-such-model, location: dorm-a/3, topic: zigbee2mqtt/s2}
              - {id: s3, profile: heiman-hs1sa, location: dorm-a/1/1, topic: zigbee2mqtt/s3, colour: red}
              - {id: rcm, profile: acrel-aim-r100, location: dorm-a/1/power, bus: nowhere}
            engine: {correlation_window: 2 minutes}
            notifications: {}
            """
        )
        let expected = [
            "test.yaml:1:40: site.timezone \"Mars/Olympus\" is not a known time zone (e.g. Asia/Shanghai)",
            "test.yaml:3:33: locations[0].kind \"dorm\" is not one of: dormitory, canteen, kitchen, library, gym, laboratory, classroom, storage, hazmat_store, power_room, gas_room, office, gate, other",
            "test.yaml:4:10: locations[1].id \"dorm-a\" is used twice",
            "test.yaml:6:47: devices[0].location: unknown building \"dorm-x\" (not under locations)",
            "test.yaml:7:10: devices[1].id \"s1\" is used twice",
            "test.yaml:7:23: devices[1].profile: unknown profile \"no-such-model\"",
            "test.yaml:7:48: devices[1].location must be BUILDING/FLOOR/ROOM, e.g. dorm-a/3/301",
            "test.yaml:8:82: unknown key devices[2].colour",
            "test.yaml:9:5: devices[3]: a Modbus device (profile acrel-aim-r100) needs a bus and a unit",
            "test.yaml:9:71: devices[3].bus: unknown bus \"nowhere\" (not under modbus.buses)",
            "test.yaml:10:30: engine.correlation_window must be a duration such as 500ms, 30s, 5m, 1h or 1h30m",
            "test.yaml:11:1: unknown key notifications",
        ]
        #expect(found.count == expected.count, "\(found.joined(separator: "\n"))")
        for (f, e) in zip(found, expected) {
            #expect(f.hasPrefix(e), "got \(f)")
        }
    }

    @Test("thresholds out of a channel's range, bad levels and unknown channels are refused")
    func thresholds() {
        let found = diagnostics(
            """
            site: {id: demo, name: Demo}
            locations: [{id: k, name: K, kind: kitchen}]
            devices:
              - id: g1
                profile: xiaomi-jtqj-bf-01lm
                location: k/1/1
                topic: zigbee2mqtt/g1
                thresholds:
                  gas: {levels: [{above: 150, severity: major}]}
                  smoke: {severity: major}
            thresholds:
              kitchen:
                temperature: {levels: [{above: 70}], rate_of_rise: {per_minute: 0, above: 400}}
                humdity: {levels: [{above: 90, severity: minor}]}
              attic: {}
            """
        )
        #expect(
            found.contains {
                $0.contains("test.yaml:9:22:") && $0.contains("150 is outside the range of gas (0…100 %LEL)")
            }
        )
        #expect(found.contains { $0.contains("devices[0].thresholds.smoke: the device's profile has no such channel") })
        #expect(found.contains { $0.contains("thresholds.kitchen.temperature.levels[0].severity is required") })
        #expect(found.contains { $0.contains("per_minute must be above 0") })
        #expect(found.contains { $0.contains("400 is outside the range of temperature") })
        #expect(found.contains { $0.contains("thresholds.kitchen.humdity is not a channel") })
        #expect(found.contains { $0.contains("thresholds.attic is not a location kind") })
    }

    @Test("endpoints: URLs, ports, the police link's account format, duplicate topics and units")
    func endpoints() {
        let found = diagnostics(
            """
            site: {id: demo, name: Demo}
            locations: [{id: p, name: P, kind: power_room}]
            mqtt: {brokers: [{id: b, url: "http://127.0.0.1"}]}
            modbus:
              buses:
                - {id: m, url: "tcp://127.0.0.1:1502"}
                - {id: s, url: "rtu:///dev/ttyUSB0?baud=9600&parity=X"}
            devices:
              - {id: a, profile: acrel-aim-r100, location: p/1/1, bus: m, unit: 1}
              - {id: b, profile: acrel-aim-r100, location: p/1/2, bus: m, unit: 1}
              - {id: c, profile: heiman-hs1sa, location: p/1/3, topic: z/x}
              - {id: d, profile: heiman-hs1sa, location: p/1/4, topic: z/x, broker: other}
              - {id: e, profile: heiman-hs1sa, location: p/1/5, topic: "z/#"}
              - {id: f, profile: acrel-aim-r100, location: p/1/6, bus: m, unit: 300}
            channels: [{id: w, type: pager, url: "ftp://x"}]
            police_link: {host: 127.0.0.1, port: 99999, account: "12", receiver: "X1"}
            api: {listen: "localhost", public_url: "ftp://gateway", tls_cert_file: /etc/cg/api.crt}
            uplink: {url: "mqtt://up"}
            """
        )
        let expectations = [
            "mqtt.brokers[0].url must be a mqtt:// or mqtts:// URL with a host",
            "modbus.buses[1].url: parity must be N, E or O",
            "devices[1].unit: unit 1 on bus m is already a",
            "devices[3].topic \"z/x\" is already the topic of c",
            "devices[3].broker: unknown broker \"other\"",
            "devices[4].topic must not hold MQTT wildcards",
            "devices[5].unit must be a whole number from 1 to 247",
            "channels[0].type \"pager\" is not one of: webhook, dingtalk, wecom, feishu",
            "channels[0].url must be an http:// or https:// URL",
            "police_link.port must be a whole number from 1 to 65535",
            "police_link.account must be 3 to 16 hexadecimal digits",
            "police_link.receiver must be R followed by 1 to 6 hexadecimal digits",
            "api.listen must be HOST:PORT",
            "api.public_url must be an http:// or https:// URL",
            "api.tls_cert_file and api.tls_key_file go together",
            "uplink.topic_prefix is required",
        ]
        for e in expectations {
            #expect(found.contains { $0.contains(e) }, "missing: \(e)\n\(found.joined(separator: "\n"))")
        }
    }

    @Test("YAML syntax errors and a missing file are reported with a position, not a crash")
    func syntax() {
        #expect(diagnostics("site: {id: d, name: D\nlocations: [\n").first?.hasPrefix("test.yaml:2:") == true)
        #expect(diagnostics("").first == "test.yaml:1:1: the file is empty")
        #expect(diagnostics("- just\n- a list\n").first?.contains("the document must be a mapping") == true)
        #expect(throws: ConfigError.self) { try ConfigLoader.load(file: "/nonexistent/campusguard.yaml") }
    }

    @Test("a broken profile is reported in the profile's own file")
    func brokenProfile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-profiles-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try
            "vendor: X\nmodel: Y\nprotocol: mqtt\nmqtt: {format: zigbee2mqtt}\nchannels:\n  smoke: {key: smoke, type: boolean}\n"
            .write(toFile: dir + "/broken.yaml", atomically: true, encoding: .utf8)
        let found = diagnostics(
            """
            site: {id: demo, name: Demo}
            profile_dirs: [\(dir)]
            locations: [{id: p, name: P, kind: office}]
            devices: [{id: a, profile: broken, location: p/1/1, topic: z/a}]
            """
        )
        #expect(
            found.contains { $0.hasPrefix(dir + "/broken.yaml:6:") && $0.contains("channels.smoke.type \"boolean\"") }
        )
    }
}

@Suite("MQTT broker settings in the config")
struct BrokerConfigTests {
    func diagnostics(_ brokers: String) -> [String] {
        let text = """
            site: {id: demo, name: Demo}
            locations: [{id: a, name: A, kind: office}]
            mqtt:
              brokers:
            \(brokers)
            devices: [{id: d, profile: heiman-hs1sa, location: a/1/1, topic: z/d}]
            """
        do {
            _ = try ConfigLoader.load(text: text, file: "t.yaml", directory: RepositoryPaths.root + "/Config")
            return []
        } catch {
            return error.diagnostics.map(\.message)
        }
    }

    @Test("TLS, credentials and keepalive are read and checked")
    func brokerKeys() throws {
        let ok = """
            site: {id: demo, name: Demo}
            locations: [{id: a, name: A, kind: office}]
            mqtt:
              brokers:
                - {id: lan, url: "mqtts://broker.lan", client_id: gw-1, username: gw, password_credential: mqtt-pw, ca_file: /etc/ca.crt, cert_file: /etc/gw.crt, key_file: /etc/gw.key, keepalive: 45s}
            devices: [{id: d, profile: heiman-hs1sa, location: a/1/1, topic: z/d}]
            """
        let broker = try ConfigLoader.load(text: ok, file: "t.yaml", directory: RepositoryPaths.root + "/Config")
            .config.mqttBrokers[0]
        #expect(broker.clientID == "gw-1")
        #expect(broker.passwordCredential == "mqtt-pw")
        #expect(broker.keepAlive == .seconds(45))
        #expect(broker.keyFile == "/etc/gw.key")

        let found = diagnostics(
            """
                - {id: a, url: "mqtt://h", password_file: /p, password_credential: c}
                - {id: b, url: "mqtts://h", cert_file: /c}
                - {id: c, url: "mqtt://h", ca_file: /ca}
                - {id: d, url: "mqtt://h", keepalive: 1s, pasword_file: /typo}
            """
        )
        for expected in [
            "give password_file or password_credential, not both",
            "a client certificate needs both cert_file and key_file",
            "ca_file and cert_file need an mqtts:// URL",
            "keepalive must be from 5s to 65535s",
            "unknown key mqtt.brokers[3].pasword_file",
        ] {
            #expect(found.contains { $0.contains(expected) }, "missing: \(expected) in \(found)")
        }
    }
}

@Suite("Modbus bus settings in the config")
struct BusConfigTests {
    @Test("poll interval, timeout, retries and request delay are read, defaulted and checked")
    func busKeys() throws {
        func load(_ buses: String) throws(ConfigError) -> LoadedConfig {
            try ConfigLoader.load(
                text: """
                    site: {id: demo, name: Demo}
                    locations: [{id: p, name: P, kind: power_room}]
                    modbus:
                      buses:
                    \(buses)
                    devices: [{id: m, profile: xy-md02, location: p/1/1, bus: b, unit: 1}]
                    """,
                file: "t.yaml",
                directory: RepositoryPaths.root + "/Config"
            )
        }
        let defaults = try load("    - {id: b, url: \"tcp://127.0.0.1:1502\"}").config.modbusBuses[0]
        #expect(defaults.pollInterval == .seconds(5))
        #expect(defaults.responseTimeout == .seconds(1))
        #expect(defaults.retries == 1)
        #expect(defaults.requestDelay == nil)
        let set = try load(
            "    - {id: b, url: \"rtu:///dev/ttyUSB0?baud=9600\", poll_interval: 2s, response_timeout: 300ms, retries: 3, request_delay: 20ms}"
        ).config.modbusBuses[0]
        #expect(set.pollInterval == .seconds(2))
        #expect(set.responseTimeout == Interval(milliseconds: 300))
        #expect(set.retries == 3)
        #expect(set.requestDelay == Interval(milliseconds: 20))
        do {
            _ = try load("    - {id: b, url: \"tcp://h\", poll_interval: 10ms, response_timeout: 1m, retries: 99}")
            Issue.record("accepted bad bus settings")
        } catch {
            let messages = error.diagnostics.map(\.message)
            #expect(messages.contains { $0.contains("poll_interval must be from 100ms to 10m") })
            #expect(messages.contains { $0.contains("response_timeout must be from 10ms to 30s") })
            #expect(messages.contains { $0.contains("retries must be a whole number from 0 to 10") })
        }
    }
}
