import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Foundation
import Testing

/// `campusguard run` as a real process against a real broker.
extension IntegrationTests {
    @Suite("campusguard run", .serialized, .timeLimit(.minutes(2)))
    struct DaemonTests {
        static let root = MQTTSourceTests.root

        static var executable: String { Repository.executable }

        /// The example school in a temporary directory, its broker line replaced.
        static func config(in dir: URL, broker: String) throws -> String {
            var text = try String(contentsOfFile: root + "/Config/campusguard.example.yaml", encoding: .utf8)
            text = text.replacingOccurrences(of: #"- {id: local, url: "mqtt://127.0.0.1:1883"}"#, with: "- \(broker)")
            text = text.replacingOccurrences(
                of: "storage: {path: /var/lib/campusguard/campusguard.sqlite}",
                with: "storage: {path: \(dir.path)/campusguard.sqlite}"
            )
            text += "\nprofile_dirs: [\(root)/DeviceProfiles]\n"
            let path = dir.appendingPathComponent("campusguard.yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        static func temporaryDirectory() throws -> URL {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-daemon-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return dir
        }

        static func read(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

        @Test("run: messages on the broker become events in --events; SIGTERM stops it cleanly with exit 0")
        func endToEnd() async throws {
            let broker = try MosquittoBroker()
            let dir = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let config = try Self.config(in: dir, broker: #"{id: local, url: "\#(broker.url)"}"#)
            let events = dir.appendingPathComponent("events.jsonl")
            let log = dir.appendingPathComponent("daemon.log")
            let daemon = try ChildProcess(
                Self.executable,
                ["run", "--config", config, "--events", events.path],
                output: log.path
            )
            #expect(await eventually { Self.read(log).contains("MQTT connected") }, "\(Self.read(log))")
            let publisher = try TestPublisher(url: broker.url, clientID: "daemon-test-pub")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            publisher.publish("zigbee2mqtt/gate-panic-1", #"{"action":"single","battery":100}"#)
            publisher.publish("zigbee2mqtt/dorm-a-301-smoke-1", "not json at all")
            publisher.publish("zigbee2mqtt/dorm-a-301-smoke-1", #"{"smoke":true,"battery":90}"#)
            publisher.publish("zigbee2mqtt/dorm-a-301-smoke-2", #"{"smoke":true}"#)
            // The example's Modbus buses have no server here: their faults may come too; and
            // escalation's delivery events (its channels have no secrets here: they fail).
            func alarms() -> [JSONValue] {
                Self.read(events).split(separator: "\n").compactMap { try? JSONParser.parse(String($0)) }.filter {
                    guard case .string(let type)? = $0["type"] else { return false }
                    return type.hasPrefix("alarm.") && type != "alarm.escalated"
                        && $0["kind"] != .string("device_fault")
                }
            }
            #expect(await eventually { alarms().count >= 3 })
            let lines = Self.read(events).split(separator: "\n").map(String.init)
            #expect(lines.allSatisfy { (try? JSONParser.parse($0)) != nil }, "every line is JSON")
            let parsed = alarms()
            #expect(
                parsed.map { $0["type"] } == [
                    .string("alarm.raised"), .string("alarm.raised"), .string("alarm.updated"),
                ]
            )
            #expect(parsed.map { $0["kind"] } == [.string("panic"), .string("smoke"), .string("fire")])
            #expect(Self.read(log).contains("bad input ignored"))
            #expect(daemon.isRunning, "bad input never stops the daemon")

            daemon.signal(SIGTERM)
            let status = daemon.wait(timeout: 10)
            #expect(status == 0)
            #expect(Self.read(log).contains("campusguard stopped"))
        }

        @Test("run: a password file that cannot be read is a clear error, and the password is never logged")
        func credentials() async throws {
            let broker = try MosquittoBroker()
            let dir = try Self.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let missing = try Self.config(
                in: dir,
                broker: #"{id: local, url: "\#(broker.url)", username: gw, password_file: /nonexistent/secret}"#
            )
            let log = dir.appendingPathComponent("missing.log")
            let failed = try ChildProcess(Self.executable, ["run", "--config", missing], output: log.path)
            #expect(failed.wait(timeout: 20) == 1)
            #expect(Self.read(log).contains("password_file: cannot read /nonexistent/secret"))

            let secret = dir.appendingPathComponent("secret")
            try "s3cr3t-Pa55\n".write(to: secret, atomically: true, encoding: .utf8)
            let good = try Self.config(
                in: dir,
                broker: #"{id: local, url: "\#(broker.url)", username: gw, password_file: \#(secret.path)}"#
            )
            let log2 = dir.appendingPathComponent("good.log")
            let daemon = try ChildProcess(
                Self.executable,
                ["run", "--config", good, "--log-level", "trace"],
                output: log2.path
            )
            #expect(await eventually { Self.read(log2).contains("MQTT connected") })
            daemon.signal(SIGINT)
            #expect(daemon.wait(timeout: 10) == 0)
            #expect(!Self.read(log2).contains("s3cr3t-Pa55"))
        }
    }
}
