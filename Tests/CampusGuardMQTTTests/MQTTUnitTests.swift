import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Logging
import Testing

@Suite("MQTT adapter pieces without a broker")
struct MQTTUnitTests {
    @Test("broker URLs: schemes, default ports, and refusals")
    func endpoints() {
        #expect(BrokerEndpoint(url: "mqtt://127.0.0.1") == BrokerEndpoint(host: "127.0.0.1", port: 1883, tls: false))
        #expect(BrokerEndpoint(url: "mqtts://broker.lan") == BrokerEndpoint(host: "broker.lan", port: 8883, tls: true))
        #expect(BrokerEndpoint(url: "MQTT://h:1884")?.port == 1884)
        for bad in ["http://h", "mqtt://", "h:1883", "", "tcp://h:1883"] {
            #expect(BrokerEndpoint(url: bad) == nil, "\(bad)")
        }
    }

    @Test("client options never show the password")
    func redaction() {
        let o = MQTTClientOptions(
            endpoint: BrokerEndpoint(url: "mqtt://h")!,
            clientID: "gw",
            username: "u",
            password: "hunter2"
        )
        #expect(!o.description.contains("hunter2"))
        #expect(o.description.contains("password=<set>"))
        #expect(!o.cleanSession, "persistent session by default")
    }

    @Test("bad input is counted every time but logged once per kind per interval")
    func rateLimited() {
        let lines = LogCapture()
        let log = BadInputLog(logger: Logger(label: "t") { _ in lines }, interval: .seconds(60))
        for _ in 0..<100 { log.record(kind: "not_json", topic: "z/a", detail: "x") }
        log.record(kind: "wrong_type", topic: "z/b", detail: "y")
        #expect(log.counts == ["not_json": 100, "wrong_type": 1])
        #expect(lines.messages.count == 2)
        #expect(lines.captured.first?["topic"] == "z/a")
    }

    @Test("alarm-bearing readings: a condition true, a press, a value past a level, availability lost")
    func alarmBearing() {
        let campus = TestCampus.make([("s1", "test-smoke", "dorm-a/3/301"), ("t1", "test-temperature", "dorm-a/3/301")])
        func r(_ d: String, _ c: String, _ v: ReadingValue) -> Reading {
            Reading(device: d, channel: ChannelID(c)!, value: v, timestamp: testStart)
        }
        #expect(campus.isAlarmBearing(r("s1", "smoke", .bool(true))))
        #expect(!campus.isAlarmBearing(r("s1", "smoke", .bool(false))))
        #expect(!campus.isAlarmBearing(r("s1", "self_test", .bool(true))))
        #expect(campus.isAlarmBearing(r("s1", "availability", .bool(false))))
        #expect(campus.isAlarmBearing(r("t1", "temperature", .number(57))))
        #expect(campus.isAlarmBearing(r("t1", "temperature", .number(47))), "in rate-of-rise range: on the safe side")
        #expect(!campus.isAlarmBearing(r("t1", "temperature", .number(22))))
        #expect(campus.isAlarmBearing(r("s1", "battery", .number(10))))
        #expect(!campus.isAlarmBearing(r("ghost", "smoke", .bool(true))))
    }
}

/// A log handler that keeps what it is given, for assertions.
final class LogCapture: LogHandler, @unchecked Sendable {
    // @unchecked Sendable: tests log from one thread at a time.
    var messages: [String] = []
    var captured: [Logger.Metadata] = []
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        messages.append(event.message.description)
        captured.append(event.metadata ?? [:])
    }
}
