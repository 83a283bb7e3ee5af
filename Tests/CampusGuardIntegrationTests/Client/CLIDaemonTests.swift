import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `campusguard alarms`, `ack`, `resolve` and `report` as real processes against the daemon
/// as a real process, with a real mosquitto and a webhook sink.
extension IntegrationTests {
    @Suite("the CLI against the running daemon", .serialized, .timeLimit(.minutes(2)))
    struct CLIDaemonTests {
        typealias Drills = DrillDaemonTests

        static func alarmsState(_ url: String, token: String, alarm: String) async throws -> String? {
            var request = URLRequest(url: URL(string: "\(url)/api/v1/alarms")!, timeoutInterval: 10)
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            let (data, _) = try await URLSession.shared.data(for: request)
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            let alarms = object?["alarms"] as? [[String: Any]] ?? []
            return alarms.first { $0["id"] as? String == alarm }?["state"] as? String
        }

        @Test("alarms lists an alarm raised by MQTT, ack acknowledges it, report shows the ack delay; errors in words")
        func endToEnd() async throws {
            let broker = try MosquittoBroker()
            let sink = try WebhookSink(verify: "generic", secret: Drills.secret)
            let dir = try DaemonTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let port = try FreePort.find()
            let config = try Drills.config(in: dir, broker: broker.url, sink: sink.url, api: port)
            let viewer = try Drills.token("office", role: "viewer", config: config, dir: dir)
            let duty = try Drills.token("guard-room", role: "duty", config: config, dir: dir)
            let url = "http://127.0.0.1:\(port)"
            let at = ["--url", url, "--token-file"]

            let down = try Drills.campusguard(["alarms"] + at + [viewer])
            #expect(down.status == 1)
            #expect(down.stderr.contains("is the daemon running"), "\(down.stderr)")
            #expect(!down.stderr.contains("Fatal error") && down.stdout.isEmpty)

            let log = dir.appendingPathComponent("daemon.log")
            let daemon = try ChildProcess(Repository.executable, ["run", "--config", config], output: log.path)
            defer { daemon.stop() }
            #expect(await eventually { DaemonTests.read(log).contains("MQTT connected") }, "\(DaemonTests.read(log))")
            try FreePort.waitUntilListening(port, timeout: 10)

            let empty = try Drills.campusguard(["alarms"] + at + [viewer])
            #expect(empty.status == 0, "\(empty.stderr)")
            #expect(empty.stdout == "no alarm\n")

            let publisher = try TestPublisher(url: broker.url, clientID: "cli-pub")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            publisher.publish("zigbee2mqtt/dorm-a-301-smoke-1", #"{"smoke":true}"#)
            let store = dir.appendingPathComponent("campusguard.sqlite").path
            #expect(await eventually { !Drills.events(store, .deliverySent).isEmpty }, "\(DaemonTests.read(log))")
            let alarm = try #require(Drills.events(store, .alarmRaised).first?.alarm)

            let list = try Drills.campusguard(["alarms"] + at + [viewer])
            #expect(list.status == 0, "\(list.stderr)")
            let row = list.stdout.split(separator: "\n").first { $0.hasPrefix(alarm) }.map(String.init) ?? ""
            #expect(row.contains("smoke") && row.contains("dorm-a/3/301") && row.contains("raised"), "\(list.stdout)")
            let json = try Drills.campusguard(["alarms", "--json"] + at + [viewer])
            #expect(json.stdout.contains(#""id":"\#(alarm)""#), "\(json.stdout)")

            let bogus = dir.appendingPathComponent("bogus.token").path
            try "not-a-token".write(toFile: bogus, atomically: true, encoding: .utf8)
            let unknown = try Drills.campusguard(["alarms"] + at + [bogus])
            #expect(unknown.status == 1)
            #expect(unknown.stderr.contains("does not know this token (401"), "\(unknown.stderr)")
            let forbidden = try Drills.campusguard(["ack", alarm] + at + [viewer])
            #expect(forbidden.status == 1)
            #expect(forbidden.stderr.contains("403") && forbidden.stderr.contains("role duty or admin"))
            let missing = try Drills.campusguard(["ack", "no-such-alarm"] + at + [duty])
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("not found (404)"), "\(missing.stderr)")

            let ack = try Drills.campusguard(["ack", alarm] + at + [duty])
            #expect(ack.status == 0, "\(ack.stderr)")
            #expect(ack.stdout.hasPrefix("alarm \(alarm) acknowledged by guard-room at "), "\(ack.stdout)")
            let viewerToken = try String(contentsOfFile: viewer, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try await Self.alarmsState(url, token: viewerToken, alarm: alarm) == "acknowledged")
            let resolve = try Drills.campusguard(["resolve", alarm, "--note", "checked"] + at + [duty])
            #expect(resolve.status == 1, "the smoke is still there")
            #expect(resolve.stderr.contains("409"), "\(resolve.stderr)")

            let since = RFC3339.format(Instant(secondsSinceEpoch: Date().timeIntervalSince1970 - 3600))
            let md = try Drills.campusguard(["report", "--since", since] + at + [viewer])
            #expect(md.status == 0, "\(md.stderr)")
            #expect(md.stdout.hasPrefix("# 安全报告 · Safety report\n"))
            #expect(md.stdout.contains("| \(alarm) | 烟感报警 · smoke | dorm-a/3/301 |"), "\(md.stdout)")
            #expect(md.stdout.contains("(duty-webhook) | guard-room, +"), "\(md.stdout)")
            let csv = try Drills.campusguard(["report", "--since", since, "--format", "csv"] + at + [viewer])
            #expect(csv.status == 0, "\(csv.stderr)")
            let csvRow = csv.stdout.split(separator: "\n").first { $0.hasPrefix("alarms,\(alarm),") } ?? ""
            #expect(csvRow.contains(",duty-webhook,") && csvRow.contains(",guard-room,"), "\(csv.stdout)")
            let report = try Drills.campusguard(["report", "--since", since, "--format", "json"] + at + [viewer])
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
            )
            let alarms = try #require(object["alarms"] as? [[String: Any]])
            let acknowledged = try #require(alarms.first?["acknowledged"] as? [String: Any])
            #expect(acknowledged["by"] as? String == "guard-room")
            #expect((acknowledged["after_s"] as? Double ?? -1) >= 0)
            #expect((object["summary"] as? [String: Any])?["worst_alarm"] as? String == alarm)

            let badSince = try Drills.campusguard(["report", "--since", "yesterday"] + at + [viewer])
            #expect(badSince.status != 0 && badSince.stderr.contains("RFC 3339"))
            daemon.signal(SIGTERM)
            #expect(daemon.wait(timeout: 10) == 0)
        }
    }
}
