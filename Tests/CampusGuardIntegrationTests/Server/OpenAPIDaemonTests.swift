import CampusGuardCore
import CampusGuardMQTT
import CampusGuardStore
import CampusGuardTestKit
import Foundation
import Testing

/// The daemon as a real process, its API asked for every route and role, and every answer
/// validated against docs/openapi.yaml by openapi-core (scripts/openapi_check.py); then
/// `campusguard devices` against the same daemon.
extension IntegrationTests {
    @Suite("API routes of a real daemon against the OpenAPI document", .serialized, .timeLimit(.minutes(3)))
    struct OpenAPIDaemonTests {
        static func config(in dir: URL, broker: String, api: Int) throws -> String {
            let text = """
                site: {id: api-school, name: API School, timezone: Asia/Shanghai}
                locations:
                  - {id: dorm-a, name: 一号宿舍楼 Dormitory A, kind: dormitory}
                  - {id: gate, name: Main Gate, kind: gate}
                mqtt:
                  brokers:
                    - {id: local, url: "\(broker)"}
                devices:
                  - {id: dorm-a-301-smoke-1, profile: heiman-hs1sa, location: dorm-a/3/301, topic: zigbee2mqtt/dorm-a-301-smoke-1}
                  - {id: dorm-a-302-smoke-1, profile: heiman-hs1sa, location: dorm-a/3/302, topic: zigbee2mqtt/dorm-a-302-smoke-1, enabled: false}
                  - {id: gate-panic-1, profile: heiman-hs1eb, location: gate/1/guard, topic: zigbee2mqtt/gate-panic-1}
                storage: {path: \(dir.path)/campusguard.sqlite}
                api: {listen: "127.0.0.1:\(api)", tokens_file: \(dir.path)/tokens}
                profile_dirs: [\(Repository.root)/DeviceProfiles]

                """
            let path = dir.appendingPathComponent("campusguard.yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        /// Runs scripts/openapi_check.py over the exchanges: its exit status and output.
        static func check(_ exchanges: [APIExchange], in dir: URL) throws -> (status: Int32, output: String) {
            let file = dir.appendingPathComponent("exchanges-\(UUID().uuidString).json")
            try JSONEncoder().encode(exchanges).write(to: file)
            let python = Repository.root + "/.venv/bin/python"
            guard FileManager.default.isExecutableFile(atPath: python) else {
                throw TestError("no \(python): run scripts/setup.sh (it installs openapi-core)")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [
                Repository.root + "/scripts/openapi_check.py", Repository.root + "/docs/openapi.yaml", file.path,
            ]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }

        @Test("every route and role answers as docs/openapi.yaml says (200s, 401, 403, 404, 409, 422)")
        func routesMatchTheDocument() async throws {
            let broker = try MosquittoBroker()
            let dir = try DaemonTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let port = try FreePort.find()
            let config = try Self.config(in: dir, broker: broker.url, api: port)
            var tokens: [String: String] = [:]
            for role in ["viewer", "duty", "maintenance", "admin"] {
                let file = try DrillDaemonTests.token("\(role)-person", role: role, config: config, dir: dir)
                tokens[role] = try String(contentsOfFile: file, encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let log = dir.appendingPathComponent("daemon.log")
            let daemon = try ChildProcess(Repository.executable, ["run", "--config", config], output: log.path)
            defer { daemon.stop() }
            let base = "http://127.0.0.1:\(port)"
            #expect(await eventually { DaemonTests.read(log).contains("MQTT connected") }, "\(DaemonTests.read(log))")
            try FreePort.waitUntilListening(port, timeout: 10)

            let publisher = try TestPublisher(url: broker.url, clientID: "api-pub")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            publisher.publish("zigbee2mqtt/dorm-a-301-smoke-1", #"{"battery":87,"linkquality":120,"smoke":true}"#)
            publisher.publish("zigbee2mqtt/dorm-a-302-smoke-1", #"{"smoke":true}"#)
            let store = dir.appendingPathComponent("campusguard.sqlite").path
            #expect(
                await eventually { !DrillDaemonTests.events(store, .alarmRaised).isEmpty },
                "\(DaemonTests.read(log))"
            )
            let alarm = try #require(DrillDaemonTests.events(store, .alarmRaised).first?.alarm)
            #expect(
                await eventually {
                    let r = try? Store(path: store, readOnly: true).counts()
                    return (r?.readings ?? 0) >= 3
                }
            )

            func send(
                _ method: String,
                _ target: String,
                _ role: String?,
                json: String? = nil
            ) async throws
                -> APIExchange
            {
                try await APIExchange.send(method, base, target, token: role.flatMap { tokens[$0] }, json: json)
            }
            // The engine publishes its board once a second: wait until it shows the alarm.
            var shown = false
            for _ in 0..<50 where !shown {
                shown = try await send("GET", "/api/v1/devices?status=alarm", "viewer").body.contains("301-smoke-1")
                if !shown { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(shown, "the board never showed the smoke detector in alarm")
            let since = "2020-01-01T00:00:00Z"
            let smoke = "/api/v1/devices/dorm-a-301-smoke-1"
            var x: [APIExchange] = []
            x.append(try await send("GET", "/healthz", nil))
            x.append(try await send("GET", "/api/v1/alarms", nil))
            x.append(try await send("GET", "/api/v1/alarms", "viewer"))
            x.append(try await send("GET", "/api/v1/alarms?since=\(since)&limit=10", "viewer"))
            x.append(try await send("GET", "/api/v1/alarms?since=yesterday", "viewer"))
            x.append(try await send("GET", "/api/v1/devices", "viewer"))
            x.append(try await send("GET", "/api/v1/devices", nil))
            x.append(try await send("GET", "/api/v1/devices?status=disabled&building=dorm-a", "duty"))
            x.append(try await send("GET", "/api/v1/devices?kind=toaster", "viewer"))
            x.append(try await send("GET", smoke, "maintenance"))
            x.append(try await send("GET", "/api/v1/devices/nope", "viewer"))
            x.append(try await send("GET", smoke + "/readings?since=\(since)", "viewer"))
            x.append(try await send("GET", smoke + "/readings?channel=battery&limit=1", "admin"))
            x.append(try await send("GET", smoke + "/readings?channel=wattage", "viewer"))
            x.append(try await send("GET", "/api/v1/devices/nope/readings", "viewer"))
            x.append(try await send("POST", smoke + "/maintenance", "viewer", json: #"{"minutes":30}"#))
            x.append(try await send("POST", smoke + "/maintenance", "maintenance", json: #"{"minutes":30}"#))
            x.append(try await send("POST", smoke + "/maintenance", "maintenance", json: #"{"minutes":0}"#))
            x.append(
                try await send("POST", "/api/v1/devices/gate-panic-1/maintenance", "admin", json: #"{"minutes":5}"#)
            )
            x.append(try await send("POST", "/api/v1/devices/nope/maintenance", "admin", json: #"{"minutes":5}"#))
            x.append(try await send("GET", smoke, "viewer"))
            x.append(try await send("DELETE", smoke + "/maintenance", "maintenance"))
            x.append(try await send("DELETE", smoke + "/maintenance", "duty"))
            x.append(try await send("POST", "/api/v1/alarms/\(alarm)/ack", "viewer"))
            x.append(try await send("POST", "/api/v1/alarms/\(alarm)/ack", "duty", json: #"{"by":"王老师"}"#))
            x.append(try await send("POST", "/api/v1/alarms/\(alarm)/resolve", "duty", json: #"{"note":"checked"}"#))
            x.append(try await send("POST", "/api/v1/alarms/\(alarm)/resolve", "duty", json: #"{}"#))
            x.append(try await send("POST", "/api/v1/alarms/NO-1/ack", "duty"))
            x.append(try await send("POST", "/api/v1/drills", "duty", json: #"{"name":"x"}"#))
            x.append(
                try await send(
                    "POST",
                    "/api/v1/drills",
                    "admin",
                    json: #"{"name":"Dorm A drill","buildings":["dorm-a"]}"#
                )
            )
            x.append(try await send("POST", "/api/v1/drills", "admin", json: #"{"name":"x","buildings":["nowhere"]}"#))
            x.append(try await send("GET", "/api/v1/drills", "admin"))
            x.append(try await send("GET", "/api/v1/drills", "viewer"))
            x.append(try await send("DELETE", "/api/v1/drills/current", "admin"))
            x.append(try await send("GET", "/api/v1/drills/1/report", "admin"))
            x.append(try await send("GET", "/api/v1/drills/99/report", "admin"))
            x.append(try await send("GET", "/ack/\(alarm)?exp=1&sig=00", nil))
            let tickets = try await Self.ticketExchanges { try await send($0, $1, $2, json: $3) }
            x += tickets

            let statuses = Set(x.map(\.status))
            #expect(statuses.isSuperset(of: [200, 201, 401, 403, 404, 409, 422]), "\(x.map(\.status))")
            #expect(
                tickets.map(\.status) == [
                    201, 403, 422, 200, 409, 200, 404, 200, 200, 422, 200, 404,
                    201, 201, 422, 403, 404, 200, 200, 401,
                    200, 200, 200, 422, 401, 200,
                ],
                "\(tickets.map { "\($0.method) \($0.path) \($0.status) \($0.body.prefix(200))" })"
            )
            let report = try #require(tickets.first { $0.path == "/api/v1/report" && $0.status == 200 })
            #expect(report.body.contains(alarm) && report.body.contains(#""tickets":[{"#), "\(report.body)")
            #expect(tickets.last?.body.hasPrefix(#"{"status":"#) == true, "\(tickets.last?.body ?? "")")
            let byPath = Dictionary(grouping: x) { "\($0.method) \($0.path)" }
            #expect(byPath["GET /api/v1/devices"]?.first?.body.contains(#""status":"alarm""#) == true)
            #expect(
                x.first { $0.path.hasSuffix("gate-panic-1/maintenance") }?.body.contains(#""error":"panic_button""#)
                    == true
            )
            let checked = try Self.check(x, in: dir)
            #expect(checked.status == 0, "\(checked.output)")
            #expect(checked.output.contains("\(x.count) exchanges match"), "\(checked.output)")

            // The check fails when an answer drifts from the document: a device without its status.
            var drifted = x
            let i = try #require(drifted.firstIndex { $0.path == smoke && $0.method == "GET" && $0.status == 200 })
            drifted[i].body = drifted[i].body.replacing(#""status":"#, with: #""state":"#)
            let failed = try Self.check(drifted, in: dir)
            #expect(failed.status == 1, "\(failed.output)")

            try Self.devicesCommand(base: base, config: config, dir: dir)

            // Maintenance outlives a restart of the daemon.
            let kept = try await send("POST", smoke + "/maintenance", "maintenance", json: #"{"minutes":60}"#)
            #expect(kept.status == 200)
            let until = try #require(
                (try JSONSerialization.jsonObject(with: Data(kept.body.utf8)) as? [String: Any])?["maintenance_until"]
                    as? String
            )
            daemon.signal(SIGTERM)
            #expect(daemon.wait(timeout: 10) == 0)
            let again = try ChildProcess(Repository.executable, ["run", "--config", config], output: log.path)
            defer { again.stop() }
            try FreePort.waitUntilListening(port, timeout: 10)
            var status = ""
            for _ in 0..<50 where status != "maintenance" {
                let r = try await send("GET", smoke, "viewer")
                let device = (try? JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any])?["device"]
                status = ((device as? [String: Any])?["status"] as? String) ?? ""
                if status == "maintenance" {
                    #expect((device as? [String: Any])?["maintenance_until"] as? String == until)
                } else {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            #expect(status == "maintenance", "\(DaemonTests.read(log))")
            again.signal(SIGTERM)
            #expect(again.wait(timeout: 10) == 0)
        }

        /// `campusguard devices` against the running daemon: table, filters, JSON, errors.
        static func devicesCommand(base: String, config: String, dir: URL) throws {
            let viewer = dir.appendingPathComponent("viewer-person.token").path
            let table = try DrillDaemonTests.campusguard(["devices", "--url", base, "--token-file", viewer])
            #expect(table.status == 0, "\(table.stderr)")
            let lines = table.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("DEVICE") == true && lines.count == 4, "\(table.stdout)")
            let smoke = lines.first { $0.hasPrefix("dorm-a-301-smoke-1") } ?? ""
            #expect(smoke.contains("smoke_detector") && smoke.contains("87%"), "\(table.stdout)")
            #expect(lines.contains { $0.hasPrefix("dorm-a-302-smoke-1") && $0.contains("disabled") })

            let json = try DrillDaemonTests.campusguard([
                "devices", "--config", config, "--live", "--status", "disabled", "--json", "--token-file", viewer,
            ])
            #expect(json.status == 0, "\(json.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let ids = (object?["devices"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == ["dorm-a-302-smoke-1"], "\(json.stdout)")

            let panic = try DrillDaemonTests.campusguard([
                "devices", "--url", base, "--kind", "panic_button", "--token-file", viewer,
            ])
            #expect(panic.stdout.split(separator: "\n").count == 2, "\(panic.stdout)")

            let bogus = dir.appendingPathComponent("bogus.token").path
            try "not-a-token".write(toFile: bogus, atomically: true, encoding: .utf8)
            let refused = try DrillDaemonTests.campusguard(["devices", "--url", base, "--token-file", bogus])
            #expect(refused.status == 1 && refused.stderr.contains("401"), "\(refused.stderr)")

            let offline = try DrillDaemonTests.campusguard(["devices", "--config", config])
            #expect(offline.status == 0 && offline.stdout.contains("(disabled)"), "\(offline.stdout)")
            let mixed = try DrillDaemonTests.campusguard(["devices", "--config", config, "--status", "ok"])
            #expect(mixed.status != 0 && mixed.stderr.contains("--url or --live"), "\(mixed.stderr)")
        }
    }
}
