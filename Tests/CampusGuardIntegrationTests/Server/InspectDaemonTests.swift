import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `campusguard inspect` and `campusguard tickets` against the daemon as a real process: a
/// self-test reading through mosquitto raises a test alarm, which the inspection links as
/// its evidence.
extension IntegrationTests {
    @Suite("inspections and tickets through the daemon", .serialized, .timeLimit(.minutes(2)))
    struct InspectDaemonTests {
        static let smoke = "dorm-a-301-smoke-1"
        static let other = "dorm-b-101-smoke-1"

        static func config(in dir: URL, broker: String, api: Int) throws -> String {
            let text = """
                site: {id: inspect-school, name: 巡检学校 Inspect School, timezone: Asia/Shanghai}
                locations:
                  - {id: dorm-a, name: 一号宿舍楼 Dormitory A, kind: dormitory}
                  - {id: dorm-b, name: 二号宿舍楼 Dormitory B, kind: dormitory}
                mqtt:
                  brokers:
                    - {id: local, url: "\(broker)"}
                devices:
                  - {id: \(smoke), profile: heiman-hs1sa, location: dorm-a/3/301, topic: zigbee2mqtt/\(smoke)}
                  - {id: \(other), profile: heiman-hs1sa, location: dorm-b/1/101, topic: zigbee2mqtt/\(other)}
                storage: {path: \(dir.path)/campusguard.sqlite}
                api: {listen: "127.0.0.1:\(api)", tokens_file: \(dir.path)/tokens}
                profile_dirs: [\(Repository.root)/DeviceProfiles]

                """
            let path = dir.appendingPathComponent("campusguard.yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        @Test(
            "a self-test through MQTT is the evidence of `inspect --pass`; a failed one opens a ticket `tickets` lists"
        )
        func inspectEndToEnd() async throws {
            let broker = try MosquittoBroker()
            let dir = try DaemonTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let port = try FreePort.find()
            let config = try Self.config(in: dir, broker: broker.url, api: port)
            let maintenance = try DrillDaemonTests.token("li.gong", role: "maintenance", config: config, dir: dir)
            let viewer = try DrillDaemonTests.token("guard-room", role: "viewer", config: config, dir: dir)
            let log = dir.appendingPathComponent("daemon.log")
            let daemon = try ChildProcess(Repository.executable, ["run", "--config", config], output: log.path)
            defer { daemon.stop() }
            let url = "http://127.0.0.1:\(port)"
            #expect(await eventually { DaemonTests.read(log).contains("MQTT connected") }, "\(DaemonTests.read(log))")
            try FreePort.waitUntilListening(port, timeout: 10)
            func cli(_ arguments: [String], token: String) throws -> (status: Int32, stdout: String, stderr: String) {
                try DrillDaemonTests.campusguard(arguments + ["--url", url, "--token-file", token])
            }

            let empty = try cli(["inspect", Self.smoke], token: viewer)
            #expect(empty.status == 0 && empty.stdout == "\(Self.smoke): no inspections recorded\n", "\(empty)")
            let forbidden = try cli(["inspect", Self.smoke, "--pass"], token: viewer)
            #expect(forbidden.status == 1 && forbidden.stderr.contains("403"), "\(forbidden.stderr)")
            #expect(forbidden.stderr.contains("maintenance or admin"))
            let unknown = try cli(["inspect", "no-such-device", "--pass"], token: maintenance)
            #expect(unknown.status == 1 && unknown.stderr.contains("404"), "\(unknown.stderr)")

            let publisher = try TestPublisher(url: broker.url, clientID: "inspect-pub")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            publisher.publish("zigbee2mqtt/\(Self.smoke)", #"{"smoke":true,"test":true}"#)
            let store = dir.appendingPathComponent("campusguard.sqlite").path
            #expect(
                await eventually { DrillDaemonTests.events(store, .alarmRaised).contains { $0.test } },
                "\(DaemonTests.read(log))"
            )
            let selfTest = try #require(DrillDaemonTests.events(store, .alarmRaised).first { $0.test })
            let alarm = try #require(selfTest.alarm)

            let pass = try cli(["inspect", Self.smoke, "--pass", "--note", "蜂鸣器正常 siren ok"], token: maintenance)
            #expect(pass.status == 0, "\(pass.stderr)")
            #expect(pass.stdout.contains("recorded: \(Self.smoke) pass by li.gong"), "\(pass.stdout)")
            #expect(pass.stdout.contains("evidence: test alarm \(alarm) (raised "), "\(pass.stdout)")
            #expect(pass.stdout.contains("linked automatically"))

            let listed = try cli(["inspect", Self.smoke, "--json"], token: viewer)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]
            )
            let records = try #require(object["inspections"] as? [[String: Any]])
            #expect(records.count == 1 && records.first?["note"] as? String == "蜂鸣器正常 siren ok")
            #expect((records.first?["evidence"] as? [String: Any])?["alarm"] as? String == alarm)
            let table = try cli(["inspect", Self.smoke], token: viewer)
            #expect(table.stdout.hasPrefix("AT"), "\(table.stdout)")
            #expect(table.stdout.contains("li.gong") && table.stdout.contains(alarm))

            let failed = try cli(
                ["inspect", Self.other, "--fail", "--note", "no sound", "--ticket"],
                token: maintenance
            )
            #expect(failed.status == 0, "\(failed.stderr)")
            #expect(failed.stdout.contains("evidence: none"), "another device's self-test is no evidence")
            let opened = try #require(failed.stdout.split(separator: "\n").first { $0.hasPrefix("hazard ticket T-") })
            let ticket = String(opened.split(separator: " ")[2])

            let tickets = try cli(["tickets"], token: viewer)
            #expect(tickets.status == 0, "\(tickets.stderr)")
            #expect(tickets.stdout.hasPrefix("TICKET"), "\(tickets.stdout)")
            #expect(tickets.stdout.contains(ticket) && tickets.stdout.contains("dorm-b/1/101"), "\(tickets.stdout)")
            let other = try cli(["tickets", "--building", "dorm-a", "--json"], token: viewer)
            #expect(other.stdout == #"{"tickets":[]}"# + "\n", "\(other.stdout)")

            daemon.signal(SIGTERM)
            #expect(daemon.wait(timeout: 10) == 0)
        }
    }
}
