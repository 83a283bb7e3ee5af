import CampusGuardCore
import CampusGuardMQTT
import CampusGuardStore
import CampusGuardTestKit
import Foundation
import Testing

/// The store's promise with real processes: a `kill -9` of the daemon loses nothing the broker
/// handed over, and stores nothing twice.
extension IntegrationTests {
    @Suite("store crash safety", .serialized, .timeLimit(.minutes(2)))
    struct StoreCrashTests {
        static let messages = 3_000
        /// One smoke detector per room: each raises its own alarm, before, around and after the kill.
        static let smokeDetectors = [
            (at: 300, device: "dorm-a-301-smoke-1"), (at: 1_200, device: "dorm-a-302-smoke-1"),
            (at: 1_800, device: "dorm-b-201-smoke-1"), (at: 2_700, device: "canteen-hall-smoke-1"),
        ]

        static func readings(_ store: String) -> Int64 {
            (try? Store(path: store, readOnly: true).counts().readings) ?? 0
        }

        @Test(
            "kill -9 mid-stream and restart: every QoS 1 message is in the store exactly once, every alarm event kept"
        )
        func killMidStream() async throws {
            // The broker keeps the daemon's session (queued messages) while it is down.
            let broker = try MosquittoBroker(extraConfig: "allow_anonymous true\nmax_queued_messages 100000")
            let dir = try DaemonTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let config = try DaemonTests.config(in: dir, broker: #"{id: local, url: "\#(broker.url)"}"#)
            let store = dir.appendingPathComponent("campusguard.sqlite").path
            let log = dir.appendingPathComponent("daemon.log")
            var daemon = try ChildProcess(DaemonTests.executable, ["run", "--config", config], output: log.path)
            defer { daemon.stop() }
            #expect(await eventually { DaemonTests.read(log).contains("MQTT connected") }, "\(DaemonTests.read(log))")

            let publisher = try TestPublisher(url: broker.url, clientID: "crash-pub")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            var killed = false
            for i in 0..<Self.messages {
                // Humidity only: no thresholds, so each message is a plain reading with a unique value.
                let value = 40 + Double(i) / 1000
                publisher.publish("zigbee2mqtt/dorm-b-201-temp-1", #"{"humidity":\#(value),"linkquality":90}"#)
                if let smoke = Self.smokeDetectors.first(where: { $0.at == i }) {
                    publisher.publish("zigbee2mqtt/\(smoke.device)", #"{"smoke":true}"#)
                }
                if i % 100 == 99 { try await Task.sleep(for: .milliseconds(20)) }
                if !killed && i == 1_500 {
                    #expect(Self.readings(store) > 0, "the daemon was writing before the kill")
                    daemon.signal(SIGKILL)
                    _ = daemon.wait(timeout: 5)
                    killed = true
                    daemon = try ChildProcess(
                        DaemonTests.executable,
                        ["run", "--config", config],
                        output: log.path + ".2"
                    )
                }
            }
            #expect(killed)
            // Two readings per humidity message (humidity, link quality), one per smoke message
            // (smoke; the availability and others are not sent here).
            let expected = Int64(Self.messages * 2 + Self.smokeDetectors.count)
            let arrived = await eventually(timeout: 30) { Self.readings(store) >= expected }
            #expect(arrived, "\(Self.readings(store)) of \(expected) readings")
            daemon.signal(SIGTERM)
            #expect(daemon.wait(timeout: 10) == 0)

            let reader = try Store(path: store, readOnly: true)
            var seen: [Double: Int] = [:]
            try reader.forEachReading(StoreQuery(device: "dorm-b-201-temp-1", channel: ChannelID(.humidity))) { r in
                if case .number(let v) = r.reading.value { seen[(v * 1000).rounded(), default: 0] += 1 }
            }
            let missing = (0..<Self.messages).filter { seen[Double(40_000 + $0)] == nil }
            let twice = seen.filter { $0.value > 1 }
            #expect(missing.isEmpty, "missing \(missing.count): \(missing.prefix(20))")
            #expect(twice.isEmpty, "stored twice: \(twice.count)")

            var raised: [String] = []
            try reader.forEachEvent(StoreQuery()) { line in
                guard let e = try? JSONParser.parse(line), e["type"] == .string("alarm.raised"),
                    e["kind"] == .string("smoke"), case .array(let devices)? = e["devices"],
                    case .string(let device)? = devices.first
                else { return }
                raised.append(device)
            }
            #expect(raised.sorted() == Self.smokeDetectors.map(\.device).sorted(), "one alarm per detector: \(raised)")
            let logs = DaemonTests.read(log) + DaemonTests.read(URL(fileURLWithPath: log.path + ".2"))
            #expect(!logs.contains("store degraded"), "\(logs)")
        }
    }
}
