import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Foundation
import Testing

/// `campusguard run` as systemd runs it: a notify socket and a watchdog, SIGTERM with nothing lost.
extension IntegrationTests {
    @Suite("campusguard run under systemd", .serialized, .timeLimit(.minutes(3)))
    struct SystemdDaemonTests {
        static var executable: String { Repository.executable }
        typealias Daemon = DaemonTests

        /// `campusguard export readings` of one device's `co` channel: the values in the store.
        static func storedValues(config: String, in dir: URL) async throws -> [Double] {
            let out = dir.appendingPathComponent("export-\(UUID().uuidString.prefix(6)).jsonl")
            let export = try ChildProcess(
                executable,
                ["export", "readings", "--config", config, "--device", "lab-201-sensor-1", "--channel", "co"],
                output: out.path
            )
            guard await export.exited(timeout: 30) == 0 else { throw TestError("export failed: \(Daemon.read(out))") }
            return Daemon.read(out).split(separator: "\n").compactMap { line -> Double? in
                guard case .number(let n)? = (try? JSONParser.parse(String(line)))?["value"] else { return nil }
                return n
            }
        }

        @Test(
            "the notify socket gets READY=1, WATCHDOG=1 again and again, STATUS= lines, RELOADING=1/READY=1 on SIGHUP, STOPPING=1 on SIGTERM"
        )
        func notifications() async throws {
            let broker = try MosquittoBroker()
            let dir = try Daemon.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let config = try Daemon.config(in: dir, broker: #"{id: local, url: "\#(broker.url)"}"#)
            let socket = try NotifySocket(directory: dir.path)
            let log = dir.appendingPathComponent("daemon.log")
            // As systemd does for a service logging to the journal: JOURNAL_STREAM names its stderr.
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let attributes = try FileManager.default.attributesOfItem(atPath: log.path)
            let stream = "\(attributes[.systemNumber] ?? 0):\(attributes[.systemFileNumber] ?? 0)"
            let daemon = try ChildProcess(
                Self.executable,
                ["run", "--config", config],
                output: log.path,
                environment: ["NOTIFY_SOCKET": socket.address, "WATCHDOG_USEC": "2000000", "JOURNAL_STREAM": stream]
            )
            let ready = await socket.collected(timeout: 60) { $0 == "READY=1" }
            let readyMessage = ready.last?.split(separator: "\n").map(String.init) ?? []
            #expect(readyMessage.first == "READY=1", "\(ready) \(Daemon.read(log))")
            let status = readyMessage.last ?? ""
            #expect(status.hasPrefix("STATUS=") && status.contains("devices online"), "\(readyMessage)")
            #expect(ready.dropLast().isEmpty, "nothing before READY=1: \(ready)")

            // WATCHDOG_USEC=2s: a ping every second while the engine turns.
            var pings = 0
            for _ in 0..<3 {
                let got = await socket.collected(timeout: 10) { $0 == "WATCHDOG=1" }
                if got.last == "WATCHDOG=1" { pings += 1 }
            }
            #expect(pings == 3, "\(Daemon.read(log))")

            // A panic button: the status line changes to one active alarm.
            #expect(await eventually { Daemon.read(log).contains("MQTT connected") })
            let publisher = try TestPublisher(url: broker.url, clientID: "systemd-test-pub")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            publisher.publish("zigbee2mqtt/gate-panic-1", #"{"action":"single","battery":100}"#)
            let changed = await socket.collected(timeout: 20) {
                $0.hasPrefix("STATUS=") && $0.contains("1 active alarm")
            }
            #expect(changed.last?.contains("1 active alarm") == true, "\(changed)")
            #expect(daemon.isRunning)

            // SIGHUP (systemctl reload): RELOADING=1, then READY=1 once the config is applied.
            daemon.signal(SIGHUP)
            let reloading = await socket.collected(timeout: 20) { $0 == "RELOADING=1" }
            #expect(reloading.last?.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") == true, "\(reloading)")
            let readyAgain = await socket.collected(timeout: 20) { $0 == "READY=1" }
            #expect(readyAgain.last?.hasPrefix("READY=1") == true, "\(readyAgain) \(Daemon.read(log))")
            #expect(daemon.isRunning)

            daemon.signal(SIGTERM)
            let stopping = await socket.collected(timeout: 20) { $0 == "STOPPING=1" }
            #expect(stopping.last == "STOPPING=1", "\(stopping)")
            #expect(await daemon.exited(timeout: 20) == 0)
            // Journal lines: the syslog priority first, no timestamp.
            let lines = Daemon.read(log).split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix("<6>INFO campusguard starting ") }, "\(lines.prefix(5))")
            #expect(lines.contains { $0.hasPrefix("<2>CRITICAL alarm.raised ") && $0.contains("kind=panic") })
            #expect(lines.allSatisfy { $0.first == "<" }, "\(lines.filter { $0.first != "<" })")
        }

        @Test("SIGTERM right after a burst of QoS 1 readings: exit 0, every reading it took is in the store")
        func sigtermLosesNothing() async throws {
            let broker = try MosquittoBroker()
            let dir = try Daemon.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let config = try Daemon.config(in: dir, broker: #"{id: local, url: "\#(broker.url)"}"#)
            let log = dir.appendingPathComponent("daemon.log")
            let daemon = try ChildProcess(Self.executable, ["run", "--config", config], output: log.path)
            #expect(await eventually(timeout: 30) { Daemon.read(log).contains("MQTT connected") })
            let publisher = try TestPublisher(url: broker.url, clientID: "sigterm-test-pub")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            let count = 500
            for n in 0..<count { publisher.publish("campus/lab/201/sensor-1", #"{"co":\#(n)}"#) }
            #expect(await eventually(timeout: 30) { publisher.ackedCount == count }, "the broker has them all")
            daemon.signal(SIGTERM)
            #expect(await daemon.exited(timeout: 20) == 0, "\(Daemon.read(log))")
            let firstLog = Daemon.read(log)
            #expect(firstLog.contains("campusguard stopped"))
            #expect(!firstLog.contains("could not write everything"), "\(firstLog)")
            let first = Set(try await Self.storedValues(config: config, in: dir))

            // Started again: what it had taken is all in the store (its journal has nothing to
            // recover), and what the broker still held for its session comes now.
            let log2 = dir.appendingPathComponent("daemon2.log")
            let again = try ChildProcess(Self.executable, ["run", "--config", config], output: log2.path)
            #expect(await eventually(timeout: 30) { Daemon.read(log2).contains("MQTT connected") })
            var stored = 0
            for _ in 0..<60 where stored < count {
                stored = (try? await Self.storedValues(config: config, in: dir).count) ?? 0
                if stored < count { try await Task.sleep(for: .milliseconds(500)) }
            }
            #expect(stored >= count)
            again.signal(SIGTERM)
            #expect(await again.exited(timeout: 20) == 0)
            #expect(!Daemon.read(log2).contains("recovered batches from the intake journal"), "\(Daemon.read(log2))")
            let all = Set(try await Self.storedValues(config: config, in: dir))
            #expect(
                all == Set((0..<count).map(Double.init)),
                "missing: \(count - all.count); first run stored \(first.count)"
            )
            #expect(first.count > 0)
        }
    }
}
