import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Foundation
import Testing

/// `/metrics`, `/readyz` and `/healthz` of `campusguard run` as a real process, with a real
/// broker and a real webhook receiver; the metrics text checked by Prometheus's own Python parser.
extension IntegrationTests {
    @Suite("metrics and health of the daemon", .serialized, .timeLimit(.minutes(2)))
    struct MetricsDaemonTests {
        /// A gate with a panic button, a dormitory smoke detector, one signed webhook channel.
        static func config(in dir: URL, broker: String, sink: String, api: Int, storage: String? = nil) throws -> String
        {
            let secretFile = dir.appendingPathComponent("webhook.secret").path
            try "metrics-secret\n".write(toFile: secretFile, atomically: true, encoding: .utf8)
            let text = """
                site: {id: metrics-school, name: Metrics School, timezone: Asia/Shanghai}
                locations:
                  - {id: gate, name: East Gate, kind: gate}
                  - {id: dorm-a, name: Dormitory A, kind: dormitory}
                mqtt:
                  brokers:
                    - {id: local, url: "\(broker)"}
                devices:
                  - {id: gate-panic-1, profile: aqara-wxkg11lm, location: gate/1/guard-room, topic: zigbee2mqtt/gate-panic-1}
                  - {id: dorm-a-301-smoke-1, profile: heiman-hs1sa, location: dorm-a/3/301, topic: zigbee2mqtt/dorm-a-301-smoke-1}
                storage: {path: \(storage ?? dir.path + "/campusguard.sqlite")}
                api: {listen: "127.0.0.1:\(api)", tokens_file: \(dir.path)/tokens}
                channels:
                  - {id: duty-webhook, type: webhook, url: "\(sink)/campusguard", secret_file: \(secretFile)}
                profile_dirs: [\(Repository.root)/DeviceProfiles]

                """
            let path = dir.appendingPathComponent("campusguard.yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        static func get(_ url: String) async -> (body: String, status: Int) {
            guard let (data, status) = try? await APIServerTests.send("GET", url) else { return ("", 0) }
            return (String(decoding: data, as: UTF8.self), status)
        }

        /// The samples of `/metrics` as Prometheus's Python parser reads them, by
        /// `name{label="value",…}` with the labels sorted; nil when the text does not parse, or
        /// a family has no declared type.
        static func scrape(_ base: String, in dir: URL) async -> [String: Double]? {
            let (text, status) = await get(base + "/metrics")
            guard status == 200 else { return nil }
            let file = dir.appendingPathComponent("metrics-\(UUID().uuidString).txt")
            let out = dir.appendingPathComponent("samples-\(UUID().uuidString).jsonl")
            defer {
                try? FileManager.default.removeItem(at: file)
                try? FileManager.default.removeItem(at: out)
            }
            guard (try? text.write(to: file, atomically: true, encoding: .utf8)) != nil,
                let parser = try? ChildProcess(
                    Repository.root + "/.venv/bin/python",
                    [Repository.root + "/scripts/prometheus_samples.py", file.path],
                    output: out.path
                ),
                parser.wait(timeout: 20) == 0
            else {
                Issue.record("the metrics text does not parse: \(DaemonTests.read(out))\n\(text)")
                return nil
            }
            var samples: [String: Double] = [:]
            for line in DaemonTests.read(out).split(separator: "\n") {
                guard let s = try? JSONParser.parse(String(line)), case .string(let name)? = s["name"],
                    case .number(let value)? = s["value"], case .object(let labels)? = s["labels"],
                    s["type"] != .string("unknown")
                else {
                    Issue.record("not a typed sample: \(line)")
                    return nil
                }
                let pairs = labels.sorted { $0.key < $1.key }.map { pair -> String in
                    guard case .string(let v) = pair.value else { return "" }
                    return "\(pair.key)=\"\(v)\""
                }
                samples[pairs.isEmpty ? name : "\(name){\(pairs.joined(separator: ","))}"] = value
            }
            return samples
        }

        @Test(
            "/metrics parses as Prometheus text; readings, alarms, deliveries and latency move; /readyz follows the broker"
        )
        func metricsMoveAndReadinessFollowsTheBroker() async throws {
            let broker = try MosquittoBroker()
            let sink = try WebhookSink(verify: "generic", secret: "metrics-secret")
            let dir = try DaemonTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let port = try FreePort.find()
            let config = try Self.config(in: dir, broker: broker.url, sink: sink.url, api: port)
            let log = dir.appendingPathComponent("daemon.log")
            let daemon = try ChildProcess(DaemonTests.executable, ["run", "--config", config], output: log.path)
            defer { daemon.stop() }
            let base = "http://127.0.0.1:\(port)"
            #expect(await eventually { DaemonTests.read(log).contains("MQTT connected") }, "\(DaemonTests.read(log))")
            try FreePort.waitUntilListening(port, timeout: 10)

            let before = try #require(await Self.scrape(base, in: dir))
            let readings = #"campusguard_readings_total{protocol="mqtt"}"#
            let panic = #"campusguard_alarms_total{kind="panic",severity="critical",test="false"}"#
            #expect(before[panic] == 0)
            #expect(before[#"campusguard_mqtt_connected{broker="local"}"#] == 1)
            #expect(before["campusguard_store_up"] == 1)
            #expect(before[#"campusguard_devices{status="ok"}"#] != nil)
            let (health, healthStatus) = await Self.get(base + "/healthz")
            #expect(healthStatus == 200 && health == "ok")

            let publisher = try TestPublisher(url: broker.url, clientID: "metrics-pub")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            publisher.publish("zigbee2mqtt/dorm-a-301-smoke-1", "not json at all")
            publisher.publish("zigbee2mqtt/gate-panic-1", #"{"action":"single","battery":100}"#)
            #expect(sink.waitForRequests(1).count >= 1, "\(DaemonTests.read(log))")

            var after: [String: Double] = [:]
            let moved = await Self.until(timeout: 10) {
                after = await Self.scrape(base, in: dir) ?? [:]
                // The board (open alarms, devices) is published on the engine's next tick.
                return after[#"campusguard_alarm_delivery_seconds_count{channel="duty-webhook"}"#] ?? 0 >= 1
                    && after[#"campusguard_open_alarms{severity="critical"}"#] ?? 0 >= 1
            }
            #expect(moved, "\(after)")
            #expect((after[readings] ?? 0) >= (before[readings] ?? 0) + 1)
            #expect(after[panic] == 1)
            #expect((after[#"campusguard_deliveries_total{channel="duty-webhook",outcome="sent"}"#] ?? 0) >= 1)
            #expect(after[#"campusguard_decode_errors_total{kind="not_json",protocol="mqtt"}"#] == 1)
            #expect((after[#"campusguard_open_alarms{severity="critical"}"#] ?? 0) >= 1)
            #expect(after["campusguard_outbox_pending"] != nil)

            var (ready, readyStatus) = await Self.get(base + "/readyz")
            #expect(readyStatus == 200)
            #expect(ready.hasPrefix(#"{"status":"ok""#), "\(ready)")
            #expect(ready.contains(#"{"name":"channel:duty-webhook","state":"ok","reason":null}"#), "\(ready)")

            broker.stop()
            let down = await Self.until(timeout: 20) {
                (ready, readyStatus) = await Self.get(base + "/readyz")
                return readyStatus == 503
            }
            #expect(down, "\(ready)")
            #expect(ready.contains(#"{"name":"mqtt:local","state":"down""#), "\(ready)")
            #expect(ready.contains(#"{"name":"engine","state":"ok","reason":null}"#), "\(ready)")
            let (_, healthWhileDown) = await Self.get(base + "/healthz")
            #expect(healthWhileDown == 200, "the daemon is alive while its broker is away")

            try broker.start()
            let back = await Self.until(timeout: 40) {
                (ready, readyStatus) = await Self.get(base + "/readyz")
                return readyStatus == 200 && ready.hasPrefix(#"{"status":"ok""#)
            }
            #expect(back, "\(ready)")
        }

        @Test("a store that cannot be opened shows degraded in /readyz (200) and store_up 0 in /metrics")
        func storeDegraded() async throws {
            let broker = try MosquittoBroker()
            let sink = try WebhookSink()
            let dir = try DaemonTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            // A regular file where the store's directory should be: no store, even for root.
            let blocker = dir.appendingPathComponent("not-a-directory")
            try "x".write(to: blocker, atomically: true, encoding: .utf8)
            let port = try FreePort.find()
            let config = try Self.config(
                in: dir,
                broker: broker.url,
                sink: sink.url,
                api: port,
                storage: blocker.path + "/campusguard.sqlite"
            )
            let log = dir.appendingPathComponent("daemon.log")
            let daemon = try ChildProcess(DaemonTests.executable, ["run", "--config", config], output: log.path)
            defer { daemon.stop() }
            let base = "http://127.0.0.1:\(port)"
            #expect(await eventually { DaemonTests.read(log).contains("MQTT connected") }, "\(DaemonTests.read(log))")
            try FreePort.waitUntilListening(port, timeout: 10)
            let (ready, status) = await Self.get(base + "/readyz")
            #expect(status == 200)
            #expect(ready.hasPrefix(#"{"status":"degraded""#), "\(ready)")
            #expect(ready.contains(#"{"name":"store","state":"degraded","reason":"#), "\(ready)")
            let samples = try #require(await Self.scrape(base, in: dir))
            #expect(samples["campusguard_store_up"] == 0)
            #expect(samples["campusguard_outbox_pending"] == nil, "unknown while the store cannot be read")
            #expect(samples["campusguard_store_size_bytes"] == nil)
        }

        /// `eventually` for a condition that has to wait for an answer: polls, bounded in time.
        static func until(timeout: Double, _ condition: () async -> Bool) async -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if await condition() { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return await condition()
        }
    }
}
