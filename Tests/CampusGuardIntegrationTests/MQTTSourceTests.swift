import CampusGuardConfig
import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Foundation
import Logging
import Testing

/// The MQTT adapter against a real mosquitto broker started by each test.
extension IntegrationTests {
    @Suite("MQTT ingestion against a real broker", .serialized, .timeLimit(.minutes(2)))
    struct MQTTSourceTests {
        static let root = Repository.root

        /// The example school, its brokers pointed at the test's broker.
        static func campus(brokerURL: String, extraBrokerKeys: String = "") throws -> Campus {
            var text = try String(contentsOfFile: root + "/Config/campusguard.example.yaml", encoding: .utf8)
            text = text.replacingOccurrences(
                of: #"- {id: local, url: "mqtt://127.0.0.1:1883"}"#,
                with: #"- {id: local, url: "\#(brokerURL)"\#(extraBrokerKeys)}"#
            )
            return try ConfigLoader.load(text: text, file: "test.yaml", directory: root + "/Config").campus
        }

        static func source(
            _ campus: Campus,
            collector: Collector,
            clientID: String = "gateway-\(UUID().uuidString.prefix(8))",
            badInput: BadInputLog = BadInputLog(logger: .test),
            options: (inout MQTTClientOptions) -> Void = { _ in }
        ) throws -> MQTTSource {
            let broker = campus.config.mqttBrokers[0]
            var o = MQTTClientOptions(
                endpoint: BrokerEndpoint(url: broker.url)!,
                clientID: clientID,
                reconnectDelay: .milliseconds(200),
                reconnectDelayMax: .seconds(1)
            )
            options(&o)
            return try MQTTSource(
                brokerID: broker.id,
                options: o,
                campus: campus,
                badInput: badInput,
                logger: .test,
                clock: { Instant(secondsSinceEpoch: Date().timeIntervalSince1970) },
                deliver: collector.deliver
            )
        }

        @Test("the gateway subscribes to its devices' exact topics: state, availability, bridge state")
        func subscriptions() throws {
            let campus = try Self.campus(brokerURL: "mqtt://127.0.0.1:1883")
            let topics = MQTTSource.subscriptions(campus: campus, brokerID: "local")
            #expect(topics.contains("zigbee2mqtt/dorm-a-301-smoke-1"))
            #expect(topics.contains("zigbee2mqtt/dorm-a-301-smoke-1/availability"))
            #expect(topics.contains("zigbee2mqtt/bridge/state"))
            #expect(topics.contains("tele/kitchen-temp-1/SENSOR"))
            #expect(topics.contains("tele/kitchen-temp-1/LWT"))
            #expect(!topics.contains { $0.contains("#") || $0.contains("+") })
        }

        @Test("real payloads of every MQTT profile, published to a broker, give the fixtures' readings")
        func profilesThroughBroker() async throws {
            let broker = try MosquittoBroker()
            let campus = try Self.campus(brokerURL: broker.url)
            let collector = Collector()
            let source = try Self.source(campus, collector: collector)
            source.client.start()
            defer { source.client.stop() }
            #expect(await eventually { source.client.isConnected })
            let publisher = try TestPublisher(url: broker.url, clientID: "pub-\(UUID().uuidString.prefix(8))")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            // One configured device per MQTT profile of the example school.
            var expected: [(topic: String, device: String, expect: [String: ReadingValue])] = []
            var published = 0
            for device in campus.devices where device.profile.transport == .mqtt {
                let fixture = try JSONParser.parse(
                    Array(
                        try Data(
                            contentsOf: URL(
                                fileURLWithPath: "\(Self.root)/Tests/Fixtures/profiles/\(device.profile.id).json"
                            )
                        )
                    )
                )
                guard case .array(let samples) = fixture else { continue }
                for sample in samples {
                    guard case .object(let expect)? = sample["expect"], let payload = sample["payload"] else {
                        continue
                    }
                    if case .array? = sample["problems"] { continue }
                    let isAvailability: Bool =
                        if case .string("availability")? = sample["topic"] { true } else { false }
                    let topic = isAvailability ? device.availabilityTopic! : device.stateTopic!
                    let text: String = if case .string(let s) = payload { s } else { Self.json(payload) }
                    publisher.publish(topic, text)
                    published += 1
                    var values: [String: ReadingValue] = [:]
                    for (k, v) in expect {
                        switch v {
                        case .bool(let b): values[k] = .bool(b)
                        case .number(let n): values[k] = .number(n)
                        case .string(let s): values[k] = .event(s)
                        default: break
                        }
                    }
                    if !values.isEmpty { expected.append((topic, device.id, values)) }
                }
            }
            #expect(expected.count >= 30)
            let total = expected.reduce(0) { $0 + $1.expect.count }
            #expect(await eventually { collector.readings.count >= total })
            // Each message is one batch, in the order one publisher sent them (MQTT keeps it at QoS 1).
            let batches = collector.all
            #expect(batches.count == expected.count)
            for (batch, e) in zip(batches, expected) {
                let got = Dictionary(uniqueKeysWithValues: batch.readings.map { ($0.channel.description, $0.value) })
                #expect(got == e.expect, "\(e.topic)")
                #expect(batch.readings.allSatisfy { $0.device == e.device && $0.source == .mqtt })
            }
            // Messages without readings (a button's release) arrive but give no batch.
            #expect(await eventually { source.counts.messages == published })
        }

        @Test("broker killed and restarted mid-stream: the gateway reconnects and no QoS 1 message is lost")
        func brokerRestart() async throws {
            let broker = try MosquittoBroker()
            let campus = try Self.campus(brokerURL: broker.url)
            let collector = Collector()
            let source = try Self.source(campus, collector: collector, clientID: "gateway-restart")
            source.client.start()
            defer { source.client.stop() }
            #expect(await eventually { source.client.isConnected })
            let publisher = try TestPublisher(url: broker.url, clientID: "pub-restart")
            defer { publisher.stop() }
            let topic = "campus/lab/201/sensor-1"
            for n in 0..<300 {
                if n == 100 { broker.stop(signal: SIGKILL) }
                if n == 200 { try broker.start() }
                publisher.publish(topic, #"{"co":\#(n)}"#)
                try await Task.sleep(for: .milliseconds(5))
            }
            let all = await eventually(timeout: 20) {
                Set(collector.values(device: "lab-201-sensor-1", channel: "co")).count == 300
            }
            let got = Set(collector.values(device: "lab-201-sensor-1", channel: "co"))
            #expect(all, "missing: \((0..<300).filter { !got.contains(.number(Double($0))) })")
            #expect(source.counts.disconnects >= 1)
            #expect(source.counts.connects >= 2)
        }

        @Test("the gateway stopped and started again gets what was published meanwhile (persistent session)")
        func gatewayRestart() async throws {
            let broker = try MosquittoBroker()
            let campus = try Self.campus(brokerURL: broker.url)
            let first = Collector()
            let id = "gateway-persistent-\(UUID().uuidString.prefix(8))"
            let source = try Self.source(campus, collector: first, clientID: id)
            source.client.start()
            #expect(await eventually { source.client.isConnected })
            source.client.stop()
            let publisher = try TestPublisher(url: broker.url, clientID: "pub-persistent")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            for n in 0..<20 { publisher.publish("campus/lab/201/sensor-1", #"{"co":\#(n)}"#) }
            try await Task.sleep(for: .milliseconds(300))
            let second = Collector()
            let again = try Self.source(campus, collector: second, clientID: id)
            again.client.start()
            defer { again.client.stop() }
            #expect(await eventually { second.values(device: "lab-201-sensor-1", channel: "co").count == 20 })
            #expect(second.values(device: "lab-201-sensor-1", channel: "co") == (0..<20).map { .number(Double($0)) })
            #expect(first.readings.isEmpty)
        }

        @Test("bad input is counted by kind and never stops the source; retained stale state is ignored")
        func badInput() async throws {
            let broker = try MosquittoBroker()
            let campus = try Self.campus(brokerURL: broker.url)
            let publisher = try TestPublisher(url: broker.url, clientID: "pub-bad")
            defer { publisher.stop() }
            #expect(await eventually { publisher.client.isConnected })
            // Retained before the gateway subscribes: an old state the broker replays.
            try publisher.client.publish(
                topic: "zigbee2mqtt/dorm-a-302-smoke-1",
                payload: Array(#"{"smoke":true}"#.utf8),
                qos: 1,
                retain: true
            )
            try await Task.sleep(for: .milliseconds(200))
            let collector = Collector()
            let badInput = BadInputLog(logger: .test)
            let source = try Self.source(campus, collector: collector, badInput: badInput)
            source.client.start()
            defer { source.client.stop() }
            #expect(await eventually { source.client.isConnected })
            let smoke = "zigbee2mqtt/dorm-a-301-smoke-1"
            publisher.publish(smoke, "this is not json")
            publisher.publish(smoke, #"{"smoke":"yes","battery":80}"#)
            publisher.publish("campus/lab/201/sensor-1", #"{"temperature":NaN,"co":Infinity}"#)
            publisher.publish(smoke, #"{"smoke":false,"pad":""# + String(repeating: "x", count: 1_000_000) + #""}"#)
            publisher.publish("zigbee2mqtt/not-a-configured-device", #"{"smoke":true}"#)
            publisher.publish(smoke, #"{"smoke":true}"#)
            #expect(
                await eventually { collector.values(device: "dorm-a-301-smoke-1", channel: "smoke") == [.bool(true)] }
            )
            let counts = badInput.counts
            #expect(counts["not_json"] == 1)
            #expect(counts["wrong_type"] == 1)
            #expect(counts["not_finite"] == 2)
            #expect(counts["too_large"] == 1)
            #expect(counts[BadInputLog.retainedStale] == 1)
            #expect(collector.values(device: "dorm-a-302-smoke-1", channel: "smoke").isEmpty)
            #expect(collector.values(device: "dorm-a-301-smoke-1", channel: "battery") == [.number(80)])
            // Exact subscriptions: a topic of no configured device never reaches the gateway.
            #expect(source.counts.messages == 6)
            #expect(collector.all.last?.alarmBearing == true)
        }

        static func json(_ value: JSONValue) -> String {
            switch value {
            case .object(let members):
                "{" + members.map { "\"\($0.key)\":\(json($0.value))" }.joined(separator: ",") + "}"
            case .array(let items): "[" + items.map(json).joined(separator: ",") + "]"
            case .string(let s):
                "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    + "\""
            case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
            case .bool(let b): b ? "true" : "false"
            case .null: "null"
            }
        }
    }
}
