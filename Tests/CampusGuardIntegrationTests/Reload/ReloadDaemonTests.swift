import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Foundation
import FoundationNetworking
import Testing

/// SIGHUP config reload, with the daemon as a real process and a real broker.
extension IntegrationTests {
    @Suite("config reload on SIGHUP", .serialized, .timeLimit(.minutes(2)))
    struct ReloadDaemonTests {
        /// A small school: a temperature sensor alarming at `limit` °C, a panic button at the
        /// gate, a probe sensor (the tests' barrier), and `extra` device lines.
        static func writeConfig(
            _ path: String,
            dir: URL,
            broker: String,
            api: Int,
            limit: Double,
            extra: String = "",
            channels: String = ""
        ) throws {
            let text = """
                site: {id: reload-school, name: Reload School, timezone: Asia/Shanghai}
                locations:
                  - {id: gate, name: East Gate, kind: gate}
                  - {id: dorm-a, name: Dormitory A, kind: dormitory}
                mqtt:
                  brokers:
                    - {id: local, url: "\(broker)"}
                devices:
                  - {id: gate-panic-1, profile: aqara-wxkg11lm, location: gate/1/guard-room, topic: zigbee2mqtt/gate-panic-1}
                  - {id: probe-1, profile: sonoff-snzb-02, location: dorm-a/1/probe, topic: zigbee2mqtt/probe-1}
                  - id: temp-1
                    profile: sonoff-snzb-02
                    location: dorm-a/3/301
                    topic: zigbee2mqtt/temp-1
                    thresholds:
                      temperature: {levels: [{above: \(limit), severity: major}], hysteresis: 3}
                \(extra)
                storage: {path: \(dir.path)/campusguard.sqlite}
                api: {listen: "127.0.0.1:\(api)", tokens_file: \(dir.path)/tokens}
                profile_dirs: [\(Repository.root)/DeviceProfiles]
                \(channels)

                """
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }

        /// A running daemon on its own broker, with its files.
        struct Daemon {
            let broker: MosquittoBroker
            let dir: URL
            let config: String
            let events: URL
            let log: URL
            let api: Int
            let process: ChildProcess
            let publisher: TestPublisher

            init(limit: Double) throws {
                broker = try MosquittoBroker()
                dir = try DaemonTests.temporaryDirectory()
                config = dir.appendingPathComponent("campusguard.yaml").path
                api = try FreePort.find()
                try ReloadDaemonTests.writeConfig(config, dir: dir, broker: broker.url, api: api, limit: limit)
                events = dir.appendingPathComponent("events.jsonl")
                log = dir.appendingPathComponent("daemon.log")
                process = try ChildProcess(
                    DaemonTests.executable,
                    ["run", "--config", config, "--events", events.path],
                    output: log.path
                )
                publisher = try TestPublisher(url: broker.url, clientID: "reload-pub-\(UUID().uuidString.prefix(8))")
            }

            var logText: String { DaemonTests.read(log) }

            func rewrite(limit: Double, extra: String = "", channels: String = "") throws {
                try ReloadDaemonTests.writeConfig(
                    config,
                    dir: dir,
                    broker: broker.url,
                    api: api,
                    limit: limit,
                    extra: extra,
                    channels: channels
                )
            }

            func occurrences(_ text: String) -> Int { logText.components(separatedBy: text).count - 1 }

            /// Sends SIGHUP and waits for the reload's end (applied or refused).
            func reload() async -> Bool {
                let before = occurrences("config reloaded") + occurrences("reload refused")
                process.signal(SIGHUP)
                return await eventually { occurrences("config reloaded") + occurrences("reload refused") > before }
            }

            /// The `alarm.*` and `fault.*` events so far.
            func alarmEvents(device: String) -> [Event] {
                DaemonTests.read(events).split(separator: "\n").compactMap { Event(jsonLine: String($0)) }.filter {
                    $0.devices.contains(device) && ($0.type == .alarmRaised || $0.type == .alarmUpdated)
                }
            }

            /// The probe's alarm raised and cleared events so far.
            func probeEvents() -> Int {
                DaemonTests.read(events).split(separator: "\n").compactMap { Event(jsonLine: String($0)) }.filter {
                    $0.devices == ["probe-1"] && ($0.type == .alarmRaised || $0.type == .alarmCleared)
                }.count
            }

            /// Waits until the engine has judged every message published before: the probe
            /// goes into overheat or out of it, and its event comes after theirs.
            func barrier() async -> Bool {
                let before = probeEvents()
                let value = before % 2 == 0 ? 90 : 20
                publisher.publish("zigbee2mqtt/probe-1", #"{"temperature":\#(value)}"#)
                return await eventually { probeEvents() > before }
            }

            func stop() {
                publisher.stop()
                process.stop()
                try? FileManager.default.removeItem(at: dir)
            }
        }

        @Test("a lowered threshold takes effect on SIGHUP: the same temperature that did not alarm now does")
        func loweredThreshold() async throws {
            let d = try Daemon(limit: 60)
            defer { d.stop() }
            #expect(await eventually { d.logText.contains("MQTT connected") }, "\(d.logText)")
            #expect(await eventually { d.publisher.client.isConnected })
            d.publisher.publish("zigbee2mqtt/temp-1", #"{"temperature":50}"#)
            #expect(await d.barrier())
            #expect(d.alarmEvents(device: "temp-1").isEmpty, "50 °C is under the 60 °C limit")

            try d.rewrite(limit: 45)
            #expect(await d.reload(), "\(d.logText)")
            #expect(d.logText.contains("config reloaded: devices +0 −0 ~1"), "\(d.logText)")
            d.publisher.publish("zigbee2mqtt/temp-1", #"{"temperature":50}"#)
            #expect(
                await eventually { d.alarmEvents(device: "temp-1").contains { $0.kind == .overheat } },
                "\(d.logText)"
            )
            #expect(d.process.isRunning)
        }

        @Test("a broken config (YAML, then semantic) is refused with its errors logged; the old one keeps working")
        func brokenConfigRefused() async throws {
            let d = try Daemon(limit: 60)
            defer { d.stop() }
            #expect(await eventually { d.logText.contains("MQTT connected") }, "\(d.logText)")
            #expect(await eventually { d.publisher.client.isConnected })

            try "site: {id: x\ndevices: [ {id: \n".write(toFile: d.config, atomically: true, encoding: .utf8)
            #expect(await d.reload())
            #expect(d.occurrences("reload refused: keeping the running config") == 1, "\(d.logText)")
            #expect(d.logText.contains("\(d.config):"), "the YAML error names FILE:LINE:COLUMN")

            try d.rewrite(
                limit: 45,
                extra: "  - {id: temp-9, profile: no-such-profile, location: dorm-a/3/302, topic: zigbee2mqtt/temp-9}"
            )
            #expect(await d.reload())
            #expect(d.occurrences("reload refused: keeping the running config") == 2, "\(d.logText)")
            #expect(d.logText.contains("no-such-profile"), "\(d.logText)")
            #expect(!d.logText.contains("config reloaded"))
            #expect(d.process.isRunning, "a refused reload never stops the daemon")

            d.publisher.publish("zigbee2mqtt/temp-1", #"{"temperature":50}"#)
            #expect(await d.barrier())
            #expect(d.alarmEvents(device: "temp-1").isEmpty, "the refused config's 45 °C limit is not in force")
            d.publisher.publish("zigbee2mqtt/temp-1", #"{"temperature":65}"#)
            #expect(
                await eventually { d.alarmEvents(device: "temp-1").contains { $0.kind == .overheat } },
                "the running config still alarms at 60 °C"
            )
        }

        @Test("readings published during reloads all reach the store, and an open alarm stays open")
        func nothingLost() async throws {
            let d = try Daemon(limit: 60)
            defer { d.stop() }
            #expect(await eventually { d.logText.contains("MQTT connected") }, "\(d.logText)")
            #expect(await eventually { d.publisher.client.isConnected })
            d.publisher.publish("zigbee2mqtt/gate-panic-1", #"{"action":"single"}"#)
            #expect(await eventually { !d.alarmEvents(device: "gate-panic-1").isEmpty }, "\(d.logText)")
            let panic = try #require(d.alarmEvents(device: "gate-panic-1").first?.alarm)

            let count = 400
            for i in 0..<count {
                d.publisher.publish("zigbee2mqtt/temp-1", #"{"temperature":\#(20 + Double(i) / 100)}"#)
                if i % 100 == 50 {
                    try d.rewrite(limit: i % 200 == 50 ? 55 : 58)
                    d.process.signal(SIGHUP)
                }
                try await Task.sleep(for: .milliseconds(2))
            }
            #expect(await eventually { d.occurrences("config reloaded") >= 2 }, "\(d.logText)")
            #expect(await d.barrier())

            let token = try DrillDaemonTests.token("duty", role: "duty", config: d.config, dir: d.dir)
            var ack = URLRequest(
                url: URL(string: "http://127.0.0.1:\(d.api)/api/v1/alarms/\(panic)/ack")!,
                timeoutInterval: 10
            )
            ack.httpMethod = "POST"
            let secret = try String(contentsOfFile: token, encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines
            )
            ack.setValue("Bearer \(secret)", forHTTPHeaderField: "Authorization")
            ack.setValue("application/json", forHTTPHeaderField: "Content-Type")
            ack.httpBody = Data(#"{"by":"guard"}"#.utf8)
            let (_, response) = try await URLSession.shared.data(for: ack)
            #expect((response as? HTTPURLResponse)?.statusCode == 200, "the engine still has the panic alarm open")

            d.process.signal(SIGTERM)
            #expect(d.process.wait(timeout: 10) == 0)
            let export = try DrillDaemonTests.campusguard([
                "export", "readings", "--storage", d.dir.path + "/campusguard.sqlite", "--device", "temp-1",
                "--channel", "temperature",
            ])
            #expect(export.status == 0, "\(export.stderr)")
            let lines = export.stdout.split(separator: "\n")
            #expect(lines.count == count, "every reading published around the reloads is stored")
        }

        @Test("a device added by a reload is subscribed and decoded from its topic")
        func addedDevice() async throws {
            let d = try Daemon(limit: 60)
            defer { d.stop() }
            #expect(await eventually { d.logText.contains("MQTT connected") }, "\(d.logText)")
            #expect(await eventually { d.publisher.client.isConnected })
            try d.rewrite(
                limit: 60,
                extra: """
                      - id: temp-2
                        profile: sonoff-snzb-02
                        location: dorm-a/3/302
                        topic: zigbee2mqtt/temp-2
                    """
            )
            #expect(await d.reload())
            #expect(d.logText.contains("config reloaded: devices +1 −0 ~0"), "\(d.logText)")
            #expect(d.logText.contains("zigbee2mqtt/temp-2"), "subscribed: \(d.logText)")
            // The SUBSCRIBE and the publisher's message travel on two connections: send until heard.
            var raised = false
            for _ in 0..<50 where !raised {
                d.publisher.publish("zigbee2mqtt/temp-2", #"{"temperature":70}"#)
                raised = await eventually(timeout: 0.2) {
                    d.alarmEvents(device: "temp-2").contains { $0.kind == .overheat }
                }
            }
            #expect(raised, "\(d.logText)")
            // The API knows the new device too (its config and profile, its status from the board).
            let token = try DrillDaemonTests.token("viewer", role: "viewer", config: d.config, dir: d.dir)
            let secret = try String(contentsOfFile: token, encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines
            )
            var get = URLRequest(
                url: URL(string: "http://127.0.0.1:\(d.api)/api/v1/devices/temp-2")!,
                timeoutInterval: 10
            )
            get.setValue("Bearer \(secret)", forHTTPHeaderField: "Authorization")
            let (body, response) = try await URLSession.shared.data(for: get)
            #expect((response as? HTTPURLResponse)?.statusCode == 200, "\(String(decoding: body, as: UTF8.self))")
            #expect(String(decoding: body, as: UTF8.self).contains("sonoff-snzb-02"))

            // Removed again: its topics are unsubscribed; its open alarm stays open, and the log says so.
            try d.rewrite(limit: 60)
            #expect(await d.reload())
            #expect(d.logText.contains("config reloaded: devices +0 −1 ~0"), "\(d.logText)")
            #expect(d.logText.contains("unsubscribed=zigbee2mqtt/temp-2"), "\(d.logText)")
            #expect(
                d.logText.contains("an alarm of a removed device stays open until a person resolves it"),
                "its overheat alarm stays open: \(d.logText)"
            )
        }

        @Test("a staff channel whose URL changed by a reload delivers the next alarm to the new URL")
        func channelChanged() async throws {
            let first = try WebhookSink(verify: "generic", secret: "reload-secret")
            defer { first.stop() }
            let second = try WebhookSink(verify: "generic", secret: "reload-secret")
            defer { second.stop() }
            let d = try Daemon(limit: 60)
            defer { d.stop() }
            let secret = d.dir.appendingPathComponent("webhook.secret").path
            try "reload-secret\n".write(toFile: secret, atomically: true, encoding: .utf8)
            func channel(_ url: String) -> String {
                "channels:\n  - {id: duty, type: webhook, url: \"\(url)/hook\", secret_file: \(secret)}"
            }
            #expect(await eventually { d.logText.contains("MQTT connected") }, "\(d.logText)")
            try d.rewrite(limit: 60, channels: channel(first.url))
            #expect(await d.reload())
            #expect(d.logText.contains("channels changed: duty"), "\(d.logText)")
            d.publisher.publish("zigbee2mqtt/gate-panic-1", #"{"action":"single"}"#)
            #expect(first.waitForRequests(1).count == 1, "\(d.logText)")

            try d.rewrite(limit: 60, channels: channel(second.url))
            #expect(await d.reload())
            d.publisher.publish("zigbee2mqtt/temp-1", #"{"temperature":70}"#)
            let requests = second.waitForRequests(1)
            #expect(requests.first?.verified == true, "\(d.logText)")
            #expect(requests.first?.body.contains("overheat") == true)
            #expect(first.requests.allSatisfy { !$0.body.contains("overheat") })
        }
    }
}
