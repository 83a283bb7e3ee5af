import CampusGuardCore
import CampusGuardMQTT
import CampusGuardStore
import CampusGuardTestKit
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `campusguard drill start / stop / report` against the daemon as a real process: its API,
/// its engine marking covered alarms as tests, its store keeping the drill log.
extension IntegrationTests {
    @Suite("drills through the daemon", .serialized, .timeLimit(.minutes(2)))
    struct DrillDaemonTests {
        static let secret = "drill-webhook-secret"

        static func config(in dir: URL, broker: String, sink: String, api: Int) throws -> String {
            let secretFile = dir.appendingPathComponent("webhook.secret").path
            try (secret + "\n").write(toFile: secretFile, atomically: true, encoding: .utf8)
            let text = """
                site: {id: drill-school, name: 演练学校 Drill School, timezone: Asia/Shanghai}
                locations:
                  - {id: dorm-a, name: 一号宿舍楼 Dormitory A, kind: dormitory}
                  - {id: dorm-b, name: 二号宿舍楼 Dormitory B, kind: dormitory}
                mqtt:
                  brokers:
                    - {id: local, url: "\(broker)"}
                devices:
                  - {id: dorm-a-301-smoke-1, profile: heiman-hs1sa, location: dorm-a/3/301, topic: zigbee2mqtt/dorm-a-301-smoke-1}
                  - {id: dorm-b-101-smoke-1, profile: heiman-hs1sa, location: dorm-b/1/101, topic: zigbee2mqtt/dorm-b-101-smoke-1}
                storage: {path: \(dir.path)/campusguard.sqlite}
                api: {listen: "127.0.0.1:\(api)", tokens_file: \(dir.path)/tokens}
                channels:
                  - {id: duty-webhook, type: webhook, url: "\(sink)/campusguard", secret_file: \(secretFile)}
                profile_dirs: [\(Repository.root)/DeviceProfiles]

                """
            let path = dir.appendingPathComponent("campusguard.yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        /// Runs `campusguard` to its end: status, stdout, stderr.
        static func campusguard(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Repository.executable)
            process.arguments = arguments
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (
                process.terminationStatus, String(decoding: stdout, as: UTF8.self),
                String(decoding: stderr, as: UTF8.self)
            )
        }

        /// A new token of `role`, written to a file of its own for `--token-file`.
        static func token(_ name: String, role: String, config: String, dir: URL) throws -> String {
            let r = try campusguard(["token", "add", name, "--role", role, "--config", config])
            guard r.status == 0 else { throw TestError("token add: \(r.stderr)") }
            let file = dir.appendingPathComponent("\(name).token").path
            try r.stdout.write(toFile: file, atomically: true, encoding: .utf8)
            return file
        }

        static func events(_ store: String, _ type: EventType) -> [Event] {
            guard let reader = try? Store(path: store, readOnly: true) else { return [] }
            var out: [Event] = []
            try? reader.forEachEvent(StoreQuery()) { line in
                if let e = Event(jsonLine: line), e.type == type { out.append(e) }
            }
            return out
        }

        @Test("drill start marks a covered building's alarm as a test; stop ends it; the report shows who answered")
        func drillEndToEnd() async throws {
            let broker = try MosquittoBroker()
            let sink = try WebhookSink(verify: "generic", secret: Self.secret)
            let dir = try DaemonTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let port = try FreePort.find()
            let config = try Self.config(in: dir, broker: broker.url, sink: sink.url, api: port)
            let admin = try Self.token("principal", role: "admin", config: config, dir: dir)
            let duty = try Self.token("guard-room", role: "duty", config: config, dir: dir)
            let log = dir.appendingPathComponent("daemon.log")
            let daemon = try ChildProcess(Repository.executable, ["run", "--config", config], output: log.path)
            defer { daemon.stop() }
            let url = "http://127.0.0.1:\(port)"
            #expect(await eventually { DaemonTests.read(log).contains("MQTT connected") }, "\(DaemonTests.read(log))")
            try FreePort.waitUntilListening(port, timeout: 10)

            let forbidden = try Self.campusguard(["drill", "start", "x", "--url", url, "--token-file", duty])
            #expect(forbidden.status == 1)
            #expect(forbidden.stderr.contains("403"), "\(forbidden.stderr)")
            let bogus = dir.appendingPathComponent("bogus.token").path
            try "not-a-token".write(toFile: bogus, atomically: true, encoding: .utf8)
            let unauthorized = try Self.campusguard(["drill", "start", "x", "--url", url, "--token-file", bogus])
            #expect(unauthorized.status == 1)
            #expect(unauthorized.stderr.contains("401"), "\(unauthorized.stderr)")

            let start = try Self.campusguard([
                "drill", "start", "宿舍A 消防演练", "--building", "dorm-a", "--url", url, "--token-file", admin,
            ])
            #expect(start.status == 0, "\(start.stderr)")
            #expect(start.stdout.hasPrefix("drill 1 started at "), "\(start.stdout)")

            let publisher = try TestPublisher(url: broker.url, clientID: "drill-pub")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            publisher.publish("zigbee2mqtt/dorm-a-301-smoke-1", #"{"smoke":true}"#)
            publisher.publish("zigbee2mqtt/dorm-b-101-smoke-1", #"{"smoke":true}"#)
            let store = dir.appendingPathComponent("campusguard.sqlite").path
            #expect(await eventually { Self.events(store, .alarmRaised).count >= 2 }, "\(DaemonTests.read(log))")
            let raised = Self.events(store, .alarmRaised)
            let covered = try #require(raised.first { $0.devices == ["dorm-a-301-smoke-1"] })
            let outside = try #require(raised.first { $0.devices == ["dorm-b-101-smoke-1"] })
            #expect(covered.test, "dorm-a is in the drill")
            #expect(!outside.test, "dorm-b is not")
            #expect(
                await eventually { Self.events(store, .deliverySent).contains { $0.alarm == covered.alarm } },
                "\(DaemonTests.read(log))"
            )

            var ack = URLRequest(url: URL(string: "\(url)/api/v1/alarms/\(covered.alarm!)/ack")!, timeoutInterval: 10)
            ack.httpMethod = "POST"
            let token = try String(contentsOfFile: admin, encoding: .utf8).trimmingCharacters(
                in: .whitespacesAndNewlines
            )
            ack.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            ack.setValue("application/json", forHTTPHeaderField: "Content-Type")
            ack.httpBody = Data(#"{"by":"王老师"}"#.utf8)
            let (_, response) = try await URLSession.shared.data(for: ack)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)

            let stop = try Self.campusguard(["drill", "stop", "--url", url, "--token-file", admin])
            #expect(stop.status == 0, "\(stop.stderr)")
            #expect(stop.stdout == "drill stopped\n")

            let report = try Self.campusguard(["drill", "report", "--config", config, "--format", "json"])
            #expect(report.status == 0, "\(report.stderr)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
            )
            let drill = try #require((object["drills"] as? [[String: Any]])?.first)
            #expect(drill["name"] as? String == "宿舍A 消防演练")
            #expect(drill["started_by"] as? String == "principal" && drill["stopped_by"] as? String == "principal")
            let alarms = try #require(drill["alarms"] as? [[String: Any]])
            #expect(alarms.map { $0["alarm"] as? String } == [covered.alarm], "only the covered building's alarm")
            #expect((alarms.first?["acknowledged"] as? [String: Any])?["by"] as? String == "王老师")
            let tiers = alarms.first?["tiers"] as? [[String: Any]] ?? []
            #expect(tiers.first?["channel"] as? String == "duty-webhook", "\(report.stdout)")

            let markdown = try Self.campusguard(["drill", "report", "--config", config])
            #expect(markdown.stdout.contains("| 范围 · Covers | 一号宿舍楼 Dormitory A (dorm-a) |"))
            daemon.signal(SIGTERM)
            #expect(daemon.wait(timeout: 10) == 0)
        }
    }
}
