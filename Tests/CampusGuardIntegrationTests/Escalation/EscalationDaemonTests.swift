import CampusGuardCore
import CampusGuardMQTT
import CampusGuardStore
import CampusGuardTestKit
import Foundation
import Testing

/// Alarms reach people, with the daemon as a real process: a signed webhook to a real HTTP sink
/// and SIA DC-09 to a real pysiaalarm receiver.
extension IntegrationTests {
    @Suite("escalation through the daemon", .serialized, .timeLimit(.minutes(2)))
    struct EscalationDaemonTests {
        static let secret = "duty-webhook-secret"

        /// A small school: a gate with a panic button, a dormitory room with a smoke detector.
        static func config(
            in dir: URL,
            broker: String,
            sink: String,
            police: Int,
            supervision: String = "0s"
        ) throws -> String {
            let secretFile = dir.appendingPathComponent("webhook.secret").path
            try (secret + "\n").write(toFile: secretFile, atomically: true, encoding: .utf8)
            let text = """
                site: {id: e2e-school, name: 测试学校 E2E School, timezone: Asia/Shanghai}
                locations:
                  - {id: gate, name: 东门 East Gate, kind: gate}
                  - {id: dorm-a, name: 一号宿舍楼 Dormitory A, kind: dormitory}
                mqtt:
                  brokers:
                    - {id: local, url: "\(broker)"}
                devices:
                  - {id: gate-panic-1, profile: aqara-wxkg11lm, location: gate/1/guard-room, topic: zigbee2mqtt/gate-panic-1}
                  - {id: dorm-a-301-smoke-1, profile: heiman-hs1sa, location: dorm-a/3/301, topic: zigbee2mqtt/dorm-a-301-smoke-1}
                storage: {path: \(dir.path)/campusguard.sqlite}
                channels:
                  - {id: duty-webhook, type: webhook, url: "\(sink)/campusguard", secret_file: \(secretFile)}
                police_link: {host: 127.0.0.1, port: \(police), account: "1234", ack_timeout: 1s, supervision_interval: \(supervision)}
                profile_dirs: [\(Repository.root)/DeviceProfiles]

                """
            let path = dir.appendingPathComponent("campusguard.yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        static func deliveryEvents(_ store: String, _ type: String) -> [JSONValue] {
            guard let reader = try? Store(path: store, readOnly: true) else { return [] }
            var out: [JSONValue] = []
            try? reader.forEachEvent(StoreQuery()) { line in
                if let e = try? JSONParser.parse(line), e["type"] == .string(type) { out.append(e) }
            }
            return out
        }

        @Test("a panic press reaches the duty webhook (signed) and the police receiver (Contact ID 120) at once")
        func panicToStaffAndPolice() async throws {
            let broker = try MosquittoBroker()
            let sink = try WebhookSink(verify: "generic", secret: Self.secret)
            let receiver = try SIAReceiver()
            let dir = try DaemonTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let config = try Self.config(in: dir, broker: broker.url, sink: sink.url, police: receiver.port)
            let log = dir.appendingPathComponent("daemon.log")
            let daemon = try ChildProcess(DaemonTests.executable, ["run", "--config", config], output: log.path)
            defer { daemon.stop() }
            #expect(await eventually { DaemonTests.read(log).contains("MQTT connected") }, "\(DaemonTests.read(log))")
            let publisher = try TestPublisher(url: broker.url, clientID: "e2e-pub")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            publisher.publish("zigbee2mqtt/gate-panic-1", #"{"action":"single","battery":100}"#)

            let requests = sink.waitForRequests(1)
            let request = try #require(requests.first, "\(DaemonTests.read(log))")
            #expect(request.verified == true, "the signature holds: \(request.verifyError ?? "")")
            #expect(request.headers["x-campusguard-event"] == "alarm.raised")
            let delivery = try #require(request.headers["x-campusguard-delivery"])
            #expect(request.body.contains("东门 East Gate"))
            #expect(request.body.contains("\"kind\":\"panic\""))

            #expect(await eventually { receiver.messages.contains { $0.eventType == "120" } }, "\(receiver.messages)")
            let panic = try #require(receiver.messages.first { $0.eventType == "120" })
            #expect(panic.qualifier == "1", "a new event")
            #expect(panic.account == "1234")
            #expect(panic.group == "01", "the gate is the first location")
            #expect(panic.zone == "001", "the panic button is the gate's first device")

            let store = dir.appendingPathComponent("campusguard.sqlite").path
            #expect(await eventually(timeout: 20) { Self.deliveryEvents(store, "delivery.sent").count >= 2 })
            let sent = Self.deliveryEvents(store, "delivery.sent")
            #expect(
                Set(sent.compactMap { e -> String? in if case .string(let c)? = e["channel"] { c } else { nil } }) == [
                    "duty-webhook", "police",
                ]
            )
            #expect(sent.contains { $0["delivery"] == .string(delivery) }, "the webhook's delivery id is the event's")
            daemon.signal(SIGTERM)
            #expect(daemon.wait(timeout: 10) == 0)
        }

        @Test("a failing webhook is retried from the outbox; after kill -9 the same delivery resumes and is sent once")
        func retryAcrossRestart() async throws {
            let broker = try MosquittoBroker()
            let failures = #"[{"status":500,"body":"down"},{"status":500,"body":"down"},{"status":503,"body":"down"}]"#
            let sink = try WebhookSink(answers: failures, verify: "generic", secret: Self.secret)
            let receiver = try SIAReceiver()
            let dir = try DaemonTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let config = try Self.config(in: dir, broker: broker.url, sink: sink.url, police: receiver.port)
            let log = dir.appendingPathComponent("daemon.log")
            var daemon = try ChildProcess(DaemonTests.executable, ["run", "--config", config], output: log.path)
            defer { daemon.stop() }
            #expect(await eventually { DaemonTests.read(log).contains("MQTT connected") })
            let publisher = try TestPublisher(url: broker.url, clientID: "e2e-pub-2")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            publisher.publish("zigbee2mqtt/gate-panic-1", #"{"action":"single"}"#)
            _ = sink.waitForRequests(1)
            daemon.signal(SIGKILL)
            _ = daemon.wait(timeout: 5)
            daemon = try ChildProcess(DaemonTests.executable, ["run", "--config", config], output: log.path + ".2")

            let all = sink.waitForRequests(4, timeout: 30)
            #expect(all.count >= 4, "\(DaemonTests.read(URL(fileURLWithPath: log.path + ".2")))")
            let ids = Set(all.compactMap { $0.headers["x-campusguard-delivery"] })
            #expect(ids.count == 1, "one delivery, one id across retries and the restart: \(ids)")
            #expect(all.allSatisfy { $0.verified == true })
            let store = dir.appendingPathComponent("campusguard.sqlite").path
            #expect(await eventually(timeout: 30) { Self.deliveryEvents(store, "delivery.sent").count >= 2 })
            let webhookSent = Self.deliveryEvents(store, "delivery.sent").filter {
                $0["channel"] == .string("duty-webhook")
            }
            #expect(webhookSent.count == 1, "sent once")
            #expect(!Self.deliveryEvents(store, "delivery.failed").isEmpty, "the failed attempts are events")
            try await Task.sleep(for: .seconds(1))
            #expect(sink.requests.count == all.count, "nothing more after it was sent")
        }

        @Test("a police link whose receiver does not answer is a fault delivered to staff, cleared when it answers")
        func policeLinkDown() async throws {
            let broker = try MosquittoBroker()
            let sink = try WebhookSink(verify: "generic", secret: Self.secret)
            let receiver = try SIAReceiver(start: false)
            let dir = try DaemonTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let config = try Self.config(
                in: dir,
                broker: broker.url,
                sink: sink.url,
                police: receiver.port,
                supervision: "1s"
            )
            let log = dir.appendingPathComponent("daemon.log")
            let daemon = try ChildProcess(DaemonTests.executable, ["run", "--config", config], output: log.path)
            defer { daemon.stop() }
            func notices(_ event: String) -> [SinkRequest] {
                sink.requests.filter { $0.headers["x-campusguard-event"] == event }
            }
            #expect(
                await eventually(timeout: 30) { !notices("fault.raised").isEmpty },
                "\(DaemonTests.read(log))"
            )
            #expect(notices("fault.raised").first?.body.contains("police_link_down") == true)
            try receiver.start()
            #expect(await eventually(timeout: 30) { !notices("fault.cleared").isEmpty }, "\(DaemonTests.read(log))")
            #expect(notices("fault.raised").count == 1, "one fault, not one per attempt")
        }
    }
}
