import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A person must answer: acknowledging through the API stops the escalation, with the daemon as
/// a real process, its HTTP API and two real webhook sinks (tier 1 and tier 2).
extension IntegrationTests {
    @Suite("acknowledging stops escalation", .serialized, .timeLimit(.minutes(2)))
    struct AcknowledgeTests {
        static func config(in dir: URL, broker: String, tier1: String, tier2: String, api: Int) throws -> String {
            let secretFile = dir.appendingPathComponent("webhook.secret").path
            try "tier-secret\n".write(toFile: secretFile, atomically: true, encoding: .utf8)
            let text = """
                site: {id: ack-school, name: Ack School}
                locations:
                  - {id: dorm-a, name: Dormitory A, kind: dormitory}
                mqtt:
                  brokers:
                    - {id: local, url: "\(broker)"}
                devices:
                  - {id: smoke-301, profile: heiman-hs1sa, location: dorm-a/3/301, topic: zigbee2mqtt/smoke-301}
                  - {id: smoke-302, profile: heiman-hs1sa, location: dorm-a/3/302, topic: zigbee2mqtt/smoke-302}
                storage: {path: \(dir.path)/campusguard.sqlite}
                api: {listen: "127.0.0.1:\(api)", tokens_file: \(dir.path)/tokens}
                channels:
                  - {id: warden-hook, type: webhook, url: "\(tier1)/tier1", secret_file: \(secretFile)}
                  - {id: officer-hook, type: webhook, url: "\(tier2)/tier2", secret_file: \(secretFile)}
                people:
                  - {id: warden, name: 宿管 王老师}
                  - {id: officer, name: 值班 李老师}
                roster:
                  roles: [{id: warden}, {id: officer}]
                  shifts:
                    - {role: warden, people: [warden], time: "00:00-23:59"}
                    - {role: officer, people: [officer], time: "00:00-23:59"}
                escalation:
                  policies:
                    - id: smoke
                      tiers:
                        - {roles: [warden], channels: [warden-hook]}
                        - {after: 3s, roles: [officer], channels: [officer-hook]}
                profile_dirs: [\(Repository.root)/DeviceProfiles]

                """
            let path = dir.appendingPathComponent("campusguard.yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        static func post(_ url: String, token: String, body: String) async throws -> (Int, String) {
            var request = URLRequest(url: URL(string: url)!)
            request.httpMethod = "POST"
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.utf8)
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
        }

        @Test("an alarm acknowledged through the API never reaches tier 2; one nobody acknowledges does")
        func acknowledgementStopsTiers() async throws {
            let broker = try MosquittoBroker()
            let tier1 = try WebhookSink(verify: "generic", secret: "tier-secret")
            let tier2 = try WebhookSink(verify: "generic", secret: "tier-secret")
            let dir = try DaemonTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let port = try FreePort.find()
            let config = try Self.config(in: dir, broker: broker.url, tier1: tier1.url, tier2: tier2.url, api: port)
            let tokenOutput = dir.appendingPathComponent("token.txt")
            let add = try ChildProcess(
                DaemonTests.executable,
                ["token", "add", "warden", "--role", "duty", "--config", config],
                output: tokenOutput.path
            )
            #expect(add.wait(timeout: 20) == 0)
            // The file holds stdout (the token alone on its line) and stderr (a sentence).
            let token = try #require(
                DaemonTests.read(tokenOutput).split(separator: "\n").map(String.init).first {
                    !$0.isEmpty && !$0.contains(" ")
                }
            )

            let log = dir.appendingPathComponent("daemon.log")
            let daemon = try ChildProcess(DaemonTests.executable, ["run", "--config", config], output: log.path)
            defer { daemon.stop() }
            #expect(await eventually { DaemonTests.read(log).contains("MQTT connected") }, "\(DaemonTests.read(log))")
            let publisher = try TestPublisher(url: broker.url, clientID: "ack-pub")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })

            publisher.publish("zigbee2mqtt/smoke-301", #"{"smoke":true}"#)
            let first = try #require(tier1.waitForRequests(1).first, "\(DaemonTests.read(log))")
            let body = try #require(first.json)
            let alarm = try #require(body["alarm"] as? String, "\(first.body)")
            let (status, answer) = try await Self.post(
                "http://127.0.0.1:\(port)/api/v1/alarms/\(alarm)/ack",
                token: token,
                body: #"{"by":"宿管 王老师"}"#
            )
            #expect(status == 200, "\(answer)")
            #expect(answer.contains("alarm.acknowledged"))

            publisher.publish("zigbee2mqtt/smoke-302", #"{"smoke":true}"#)
            // Tier 2 comes 3 s after tier 1 when nobody acknowledges: the second alarm's only.
            let second = tier2.waitForRequests(1, timeout: 15)
            #expect(second.count == 1, "\(DaemonTests.read(log))")
            try await Task.sleep(for: .seconds(4))
            let reached = tier2.requests.compactMap { $0.json?["alarm"] as? String }
            #expect(!reached.contains(alarm), "the acknowledged alarm never reached tier 2: \(reached)")
            #expect(reached.count >= 1)

            let (wrong, _) = try await Self.post(
                "http://127.0.0.1:\(port)/api/v1/alarms/\(alarm)/ack",
                token: "not-a-token",
                body: "{}"
            )
            #expect(wrong == 401)
        }
    }
}
