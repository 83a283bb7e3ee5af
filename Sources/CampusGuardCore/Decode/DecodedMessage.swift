/// What one MQTT message turned into.
public struct DecodedMessage: Sendable, Hashable {
    public var readings: [Reading] = []
    /// Set when the message was a Zigbee2MQTT `bridge/state`.
    public var bridgeState: BridgeState?
    public var problems: [DecodeProblem] = []
    /// Some reading could raise or worsen an alarm or fault (see `Campus.isAlarmBearing`), or a
    /// bridge went offline.
    public var alarmBearing = false

    public init(readings: [Reading] = [], bridgeState: BridgeState? = nil, problems: [DecodeProblem] = []) {
        self.readings = readings
        self.bridgeState = bridgeState
        self.problems = problems
    }
}

/// A Zigbee2MQTT bridge going online or offline: every device behind it is reachable or not.
public struct BridgeState: Sendable, Hashable {
    public var bridge: String
    public var online: Bool

    public init(bridge: String, online: Bool) {
        self.bridge = bridge
        self.online = online
    }
}

/// Bad input, by kind, so that it can be counted and logged without stopping anything.
public struct DecodeProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case notJSON = "not_json"
        case wrongType = "wrong_type"
        case notFinite = "not_finite"
        case tooLarge = "too_large"
        case unknownTopic = "unknown_topic"
        case unknownValue = "unknown_value"
    }

    public var kind: Kind
    public var topic: String
    public var device: String?
    public var channel: ChannelID?
    public var detail: String

    public init(kind: Kind, topic: String, device: String? = nil, channel: ChannelID? = nil, detail: String) {
        self.kind = kind
        self.topic = topic
        self.device = device
        self.channel = channel
        self.detail = detail
    }

    public var description: String {
        var parts = ["\(kind.rawValue): \(detail)", "topic=\(topic)"]
        if let device { parts.append("device=\(device)") }
        if let channel { parts.append("channel=\(channel)") }
        return parts.joined(separator: " ")
    }
}
