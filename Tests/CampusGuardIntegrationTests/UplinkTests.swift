import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Foundation
import Synchronization
import Testing

/// The uplink with real processes: the daemon publishing to an upstream broker that goes away.
extension IntegrationTests {
    @Suite("uplink store-and-forward", .serialized, .timeLimit(.minutes(2)))
    struct UplinkTests {
        /// The upstream platform's side: a persistent-session subscriber to `<prefix>/#`.
        final class Platform: Sendable {
            let client: MosquittoClient
            let messages = Mutex<[(topic: String, json: JSONValue)]>([])

            init(url: String, topics: [String]) throws {
                let box = Mutex<Platform?>(nil)
                client = try MosquittoClient(
                    options: MQTTClientOptions(
                        endpoint: BrokerEndpoint(url: url)!,
                        clientID: "platform",
                        cleanSession: false,
                        reconnectDelay: .milliseconds(100),
                        reconnectDelayMax: .milliseconds(500)
                    )
                ) { event in
                    if case .message(let m) = event,
                        let json = try? JSONParser.parse(String(decoding: m.payload, as: UTF8.self))
                    {
                        box.withLock { $0 }?.messages.withLock { $0.append((m.topic, json)) }
                    }
                }
                box.withLock { $0 = self }
                client.setSubscriptions(topics)
                client.start()
            }

            /// The humidity values in the readings messages, in arrival order, first arrivals only.
            func humidity() -> [Double] {
                var seen = Set<Int64>()
                var out: [Double] = []
                for m in messages.withLock({ $0 }) where m.topic.hasSuffix("/readings") {
                    guard case .array(let rows)? = m.json["readings"] else { continue }
                    for row in rows where row["channel"] == .string("humidity") {
                        guard case .number(let v)? = row["value"] else { continue }
                        if seen.insert(Int64((v * 1000).rounded())).inserted { out.append(v) }
                    }
                }
                return out
            }

            /// The `seq` of event messages and the `first`…`last` of readings messages, first arrivals.
            func sequences(_ stream: String) -> [Int64] {
                var seen = Set<Int64>()
                var out: [Int64] = []
                for m in messages.withLock({ $0 }) where m.topic.hasSuffix("/" + stream) {
                    let key = stream == "events" ? m.json["seq"] : m.json["first"]
                    guard case .number(let n)? = key, seen.insert(Int64(n)).inserted else { continue }
                    out.append(Int64(n))
                }
                return out
            }

            func events(type: String) -> [JSONValue] {
                messages.withLock { $0 }.compactMap { m in
                    guard m.topic.hasSuffix("/events"), let e = m.json["event"], e["type"] == .string(type) else {
                        return nil
                    }
                    return e
                }
            }
        }

        @Test("upstream broker down for a while: every reading and event made meanwhile arrives, in order")
        func outage() async throws {
            let source = try MosquittoBroker()
            let upstream = try MosquittoBroker()
            let dir = try DaemonTests.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            var config = try String(
                contentsOfFile: try DaemonTests.config(in: dir, broker: #"{id: local, url: "\#(source.url)"}"#),
                encoding: .utf8
            )
            config = config.replacingOccurrences(
                of: #"uplink: {url: "mqtt://127.0.0.1:1884", topic_prefix: "campus/demo-school"}"#,
                with: "uplink: {url: \"\(upstream.url)\", topic_prefix: campus/test, backlog_rate: 2000}"
            )
            let configPath = dir.appendingPathComponent("uplink.yaml").path
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            let platform = try Platform(url: upstream.url, topics: ["campus/test/readings", "campus/test/events"])
            defer { platform.client.stop() }
            let log = dir.appendingPathComponent("daemon.log")
            let daemon = try ChildProcess(DaemonTests.executable, ["run", "--config", configPath], output: log.path)
            defer { daemon.stop() }
            #expect(await eventually { DaemonTests.read(log).contains("uplink connected") }, "\(DaemonTests.read(log))")
            let publisher = try TestPublisher(url: source.url, clientID: "uplink-pub")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            func send(_ range: Range<Int>) async throws {
                for i in range {
                    publisher.publish("zigbee2mqtt/dorm-b-201-temp-1", #"{"humidity":\#(40 + Double(i) / 1000)}"#)
                    if i % 50 == 49 { try await Task.sleep(for: .milliseconds(10)) }
                }
            }
            try await send(0..<200)
            #expect(await eventually(timeout: 20) { platform.humidity().count >= 200 }, "\(platform.humidity().count)")

            upstream.stop()
            #expect(await eventually { DaemonTests.read(log).contains("uplink down") })
            try await send(200..<500)
            publisher.publish("zigbee2mqtt/gate-panic-1", #"{"action":"single"}"#)
            try await Task.sleep(for: .seconds(1))
            try upstream.start()

            let all = await eventually(timeout: 30) {
                platform.humidity().count >= 500 && !platform.events(type: "alarm.raised").isEmpty
            }
            #expect(all, "\(platform.humidity().count) readings, \(platform.events(type: "alarm.raised").count) alarms")
            let expected = (0..<500).map { 40 + Double($0) / 1000 }
            let got = platform.humidity()
            #expect(got.count == expected.count && got == expected, "every reading once, in order: \(got.count)")
            let readings = platform.sequences("readings")
            #expect(readings == readings.sorted(), "readings messages in order")
            let events = platform.sequences("events")
            #expect(events == events.sorted() && Set(events).count == events.count, "events in order")
            #expect(platform.events(type: "alarm.raised").contains { $0["kind"] == .string("panic") })
        }
    }
}
