import CampusGuardCore
import CampusGuardTestKit
import Testing

@Suite("Decoding MQTT payloads by profile, and bad input")
struct PayloadDecoderTests {
    let campus = TestCampus.make([("s1", "test-smoke", "dorm-a/3/301"), ("t1", "test-temperature", "dorm-a/3/301")])
    var decoder: PayloadDecoder { PayloadDecoder(campus: campus) }

    func decode(_ topic: String, _ text: String) -> DecodedMessage {
        decoder.decode(topic: topic, payload: Array(text.utf8), at: testStart)
    }

    @Test("a state message gives one reading per known key; unknown keys are ignored")
    func state() {
        let m = decode("z2m/s1", #"{"battery":97,"smoke":false,"voltage":3000,"linkquality":120}"#)
        #expect(m.problems.isEmpty)
        #expect(m.readings.map(\.channel.description) == ["smoke", "battery"], "in the vocabulary's order")
        #expect(m.readings.map(\.value) == [.bool(false), .number(97)])
        #expect(m.readings.allSatisfy { $0.device == "s1" && $0.source == .mqtt && !$0.selfTest })
    }

    @Test("a message flagged as a test marks every reading of it as a self-test")
    func selfTest() {
        let m = decode("z2m/s1", #"{"smoke":true,"test":true}"#)
        #expect(m.readings.count == 2)
        #expect(m.readings.allSatisfy { $0.selfTest })
    }

    @Test("availability: JSON or plain, any case")
    func availability() {
        #expect(decode("z2m/s1/availability", #"{"state":"offline"}"#).readings.first?.value == .bool(false))
        #expect(decode("z2m/s1/availability", "Online").readings.first?.value == .bool(true))
        #expect(decode("z2m/s1/availability", "maybe").problems.first?.kind == .unknownValue)
    }

    @Test("bridge state of the devices' Zigbee2MQTT bridge")
    func bridgeState() {
        #expect(
            decode("z2m/bridge/state", #"{"state":"offline"}"#).bridgeState == BridgeState(bridge: "z2m", online: false)
        )
        #expect(decode("z2m/bridge/state", "online").bridgeState == BridgeState(bridge: "z2m", online: true))
    }

    @Test("bad input is counted by kind and never stops the other channels")
    func badInput() {
        #expect(decode("z2m/s1", "not json").problems.map(\.kind) == [.notJSON])
        #expect(decode("z2m/s1", "[1,2]").problems.map(\.kind) == [.notJSON])
        #expect(decode("elsewhere/x", "{}").problems.map(\.kind) == [.unknownTopic])
        let wrong = decode("z2m/s1", #"{"smoke":"yes","battery":88}"#)
        #expect(wrong.problems.map(\.kind) == [.wrongType])
        #expect(wrong.problems.first?.channel == ChannelID(.smoke))
        #expect(wrong.readings.map(\.value) == [.number(88)])
        let nan = decode("z2m/t1", #"{"temperature":NaN}"#)
        #expect(nan.problems.map(\.kind) == [.notFinite])
        #expect(nan.readings.isEmpty)
        #expect(decode("z2m/t1", #"{"temperature":1e999}"#).problems.map(\.kind) == [.notFinite])
        #expect(decode("z2m/t1", #"{"temperature":null}"#).problems.isEmpty)
    }

    @Test("a 1 MB payload is refused before parsing")
    func huge() {
        let big = "{\"smoke\":false,\"pad\":\"" + String(repeating: "x", count: 1_000_000) + "\"}"
        let m = decode("z2m/s1", big)
        #expect(m.problems.map(\.kind) == [.tooLarge])
        #expect(m.readings.isEmpty)
    }

    @Test("the topics to subscribe to: state, availability and bridge state")
    func topics() {
        #expect(decoder.topics == ["z2m/bridge/state", "z2m/s1", "z2m/s1/availability", "z2m/t1"])
    }
}
