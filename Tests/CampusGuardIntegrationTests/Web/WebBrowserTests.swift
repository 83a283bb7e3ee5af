import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Foundation
import Testing

/// The web page in a real browser: Debian's chromium, headless, driven through the DevTools
/// protocol by scripts/web_browser.py, against the daemon as a real process with a real broker
/// and two webhook sinks (tier 1 and tier 2 of the escalation).
extension IntegrationTests {
    @Suite("the web page in chromium", .serialized, .timeLimit(.minutes(3)))
    struct WebBrowserTests {
        static let chromium = "/usr/bin/chromium"
        /// Screenshots are kept here for people to look at (git-ignored with the rest of .build).
        static let artifacts = Repository.root + "/.build/test-artifacts/web"
        /// Tier 2 hears of an alarm nobody acknowledged this long after tier 1.
        static let tier2After = 10.0

        static func config(in dir: URL, broker: String, tier1: String, tier2: String, api: Int) throws -> String {
            let secretFile = dir.appendingPathComponent("webhook.secret").path
            try "tier-secret\n".write(toFile: secretFile, atomically: true, encoding: .utf8)
            let text = """
                site: {id: web-school, name: "Web <School> & Co", timezone: Asia/Shanghai}
                locations:
                  - {id: gate, name: 校门 Main gate, kind: gate}
                  - {id: dorm-a, name: 宿舍A Dormitory A, kind: dormitory}
                mqtt:
                  brokers:
                    - {id: local, url: "\(broker)"}
                devices:
                  - {id: panic-gate, name: 门卫室 一键报警, profile: heiman-hs1eb, location: gate/1/guard, topic: zigbee2mqtt/panic-gate}
                  - {id: smoke-301, profile: heiman-hs1sa, location: dorm-a/3/301, topic: zigbee2mqtt/smoke-301}
                  - {id: smoke-302, profile: heiman-hs1sa, location: dorm-a/3/302, topic: zigbee2mqtt/smoke-302}
                storage: {path: \(dir.path)/campusguard.sqlite}
                api: {listen: "127.0.0.1:\(api)", tokens_file: \(dir.path)/tokens}
                channels:
                  - {id: warden-hook, type: webhook, url: "\(tier1)/tier1", secret_file: \(secretFile)}
                  - {id: officer-hook, type: webhook, url: "\(tier2)/tier2", secret_file: \(secretFile)}
                people:
                  - {id: warden, name: 门卫 王师傅}
                  - {id: officer, name: 值班 李老师}
                roster:
                  roles: [{id: warden}, {id: officer}]
                  shifts:
                    - {role: warden, people: [warden], time: "00:00-24:00"}
                    - {role: officer, people: [officer], time: "00:00-24:00"}
                escalation:
                  policies:
                    - id: everything
                      tiers:
                        - {roles: [warden], channels: [warden-hook]}
                        - {after: \(Int(tier2After))s, roles: [officer], channels: [officer-hook]}
                profile_dirs: [\(Repository.root)/DeviceProfiles]

                """
            let path = dir.appendingPathComponent("campusguard.yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        /// The browser's part: sign in, wait for the alarm, acknowledge it, look at it on a phone.
        static func steps(base: String, token: String, ready: String) -> [[String: Any]] {
            let raised = #"article.card[data-state="raised"]"#
            let shot = { (name: String) -> [String: Any] in ["screenshot": "\(artifacts)/\(name).png", "full": true] }
            return [
                ["viewport": [1280, 900]],
                ["goto": base + "/devices/panic-gate"],
                ["wait": "input[name=token]", "timeout": 10],
                shot("desktop-login"),
                ["fill": "input[name=token]", "value": token],
                ["click": "button.signin"],
                ["wait": "svg[data-channel=battery] polyline", "timeout": 15, "reload": 1],
                ["goto": base + "/"],
                ["wait": "#alarms", "timeout": 10],
                ["absent": raised],
                ["touch": ready],
                ["wait": raised, "timeout": 40, "reload": 0.5],
                ["text": raised + " h3", "contains": "一键报警 panic"],
                ["text": raised, "contains": "校门 Main gate · 1 · guard"],
                ["attribute": raised, "name": "data-alarm", "as": "alarm"],
                shot("desktop-board-alarm"),
                ["click": raised + " button.ack"],
                ["wait": #"article.card[data-state="acknowledged"]"#, "timeout": 10, "reload": 1],
                ["text": ".notice", "contains": "Alarm acknowledged"],
                ["text": #"article.card[data-state="acknowledged"] .state"#, "contains": "已确认 Acknowledged · warden"],
                ["absent": "button.ack"],
                [
                    "check": #"document.querySelector('.tile[data-device="panic-gate"]').dataset.status === 'alarm'"#,
                    "what": "the panic button's tile shows alarm",
                ],
                shot("desktop-board-acknowledged"),
                ["viewport": [390, 844], "mobile": true],
                ["goto": base + "/"],
                [
                    "check": "document.documentElement.scrollWidth <= window.innerWidth",
                    "what": "no sideways scrolling",
                ],
                [
                    "check":
                        "new Set([...document.querySelectorAll('.tile')].map(t => t.getBoundingClientRect().left)).size === 1",
                    "what": "one column of tiles",
                ],
                [
                    "check":
                        "[...document.querySelectorAll('.tile, button')].every(e => e.getBoundingClientRect().height >= 40)",
                    "what": "large tap targets",
                ],
                shot("phone-board"),
                ["goto": base + "/devices/panic-gate"],
                ["wait": "svg[data-channel=battery] polyline", "timeout": 10],
                [
                    "check": "document.documentElement.scrollWidth <= window.innerWidth",
                    "what": "no sideways scrolling",
                ],
                shot("phone-device"),
                ["goto": base + "/tickets"],
                shot("phone-tickets"),
            ]
        }

        @Test("an alarm raised through MQTT shows on the board; acknowledging it there stops the escalation")
        func acknowledgeInBrowser() async throws {
            try #require(
                FileManager.default.isExecutableFile(atPath: Self.chromium),
                "the browser test needs Debian's chromium: scripts/setup.sh installs it"
            )
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
            let token = try #require(
                DaemonTests.read(tokenOutput).split(separator: "\n").map(String.init).first {
                    !$0.isEmpty && !$0.contains(" ")
                }
            )

            let log = dir.appendingPathComponent("daemon.log")
            let daemon = try ChildProcess(DaemonTests.executable, ["run", "--config", config], output: log.path)
            defer { daemon.stop() }
            #expect(await eventually { DaemonTests.read(log).contains("MQTT connected") }, "\(DaemonTests.read(log))")
            #expect(await eventually { DaemonTests.read(log).contains("HTTP API listening") })
            let publisher = try TestPublisher(url: broker.url, clientID: "web-pub")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            // Battery reports before the press, for the device page's chart.
            for battery in [97, 95, 94] {
                publisher.publish("zigbee2mqtt/panic-gate", #"{"battery":\#(battery),"linkquality":120}"#)
            }

            try? FileManager.default.createDirectory(atPath: Self.artifacts, withIntermediateDirectories: true)
            for name in [
                "desktop-login", "desktop-board-alarm", "desktop-board-acknowledged", "phone-board", "phone-device",
                "phone-tickets",
            ] {
                try? FileManager.default.removeItem(atPath: "\(Self.artifacts)/\(name).png")
            }
            let ready = dir.appendingPathComponent("browser.ready").path
            let stepsFile = dir.appendingPathComponent("steps.json")
            let steps = Self.steps(base: "http://127.0.0.1:\(port)", token: token, ready: ready)
            try JSONSerialization.data(withJSONObject: steps).write(to: stepsFile)
            let browserLog = dir.appendingPathComponent("browser.log")
            let browser = try ChildProcess(
                WebhookSink.python,
                ["-u", Repository.root + "/scripts/web_browser.py", "--steps", stepsFile.path, "--timeout", "120"],
                output: browserLog.path
            )
            // SIGTERM: the driver kills chromium on its way out (and chromium dies with it anyway).
            defer { browser.stop() }

            let signedIn = await eventually(timeout: 60) {
                FileManager.default.fileExists(atPath: ready) || !browser.isRunning
            }
            try #require(signedIn && browser.isRunning, "the browser did not sign in: \(DaemonTests.read(browserLog))")
            publisher.publish("zigbee2mqtt/panic-gate", #"{"action":"single","battery":93,"linkquality":110}"#)
            let pressed = Date()

            let status = browser.wait(timeout: 90)
            let results = DaemonTests.read(browserLog)
            #expect(status == 0, "\(results)\n\(DaemonTests.read(log))")
            let acknowledged = results.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["alarm"] as? String
            }.first
            let alarm = try #require(acknowledged, "\(results)")

            let first = tier1.waitForRequests(1, timeout: 10)
            let heard: [String] = first.compactMap { $0.json?["alarm"] as? String }
            #expect(heard.contains(alarm), "tier 1 heard of the alarm: \(heard)")
            // Past the instant tier 2 would have been told, with room for a slow machine.
            let wait = Self.tier2After + 4 - Date().timeIntervalSince(pressed)
            if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
            let reached = tier2.requests.compactMap { $0.json?["alarm"] as? String }
            #expect(!reached.contains(alarm), "the alarm acknowledged in the browser never reached tier 2: \(reached)")

            // The same policy, nobody at the browser: tier 2 hears of it, so the check above can fail.
            publisher.publish("zigbee2mqtt/smoke-301", #"{"smoke":true}"#)
            let second = tier2.waitForRequests(1, timeout: Self.tier2After + 15)
            #expect(second.count == 1, "an unacknowledged alarm reaches tier 2: \(DaemonTests.read(log))")

            for name in [
                "desktop-login", "desktop-board-alarm", "desktop-board-acknowledged", "phone-board", "phone-device",
                "phone-tickets",
            ] {
                let size =
                    (try? FileManager.default.attributesOfItem(atPath: "\(Self.artifacts)/\(name).png"))?[.size] as? Int
                #expect((size ?? 0) > 1000, "screenshot \(name).png")
            }
            #expect(!DaemonTests.read(log).contains(token), "the token is never logged")
        }
    }
}
