/// Turns MQTT messages into readings, using each device's profile. Pure: bytes in, readings out.
public struct PayloadDecoder: Sendable {
    enum Route: Sendable, Hashable {
        case state(Int)
        case availability(Int)
        case bridgeState(String)
    }

    /// A larger payload is refused before it is parsed (no sensor sends more than a few hundred bytes).
    public var maximumPayloadBytes: Int
    private let devices: [CampusDevice]
    private let routes: [String: [Route]]

    public init(campus: Campus, maximumPayloadBytes: Int = 64 * 1024) {
        self.maximumPayloadBytes = maximumPayloadBytes
        self.devices = campus.devices
        var routes: [String: [Route]] = [:]
        for d in campus.devices {
            if let t = d.stateTopic { routes[t, default: []].append(.state(d.index)) }
            if let t = d.availabilityTopic { routes[t, default: []].append(.availability(d.index)) }
            if let b = d.bridge {
                let t = b + "/bridge/state"
                if routes[t] == nil { routes[t] = [.bridgeState(b)] }
            }
        }
        self.routes = routes
    }

    /// Every topic the configured devices publish on, sorted.
    public var topics: [String] { routes.keys.sorted() }

    /// Whether the topic carries a device's state (not its availability or a bridge's state).
    public func isStateTopic(_ topic: String) -> Bool {
        routes[topic]?.contains { if case .state = $0 { true } else { false } } ?? false
    }

    /// Decodes a raw MQTT payload.
    public func decode(
        topic: String,
        payload: some Collection<UInt8>,
        at time: Instant,
        source: ReadingSource = .mqtt
    ) -> DecodedMessage {
        guard let targets = routes[topic] else {
            return DecodedMessage(problems: [
                DecodeProblem(kind: .unknownTopic, topic: topic, detail: "no device uses this topic")
            ])
        }
        guard payload.count <= maximumPayloadBytes else {
            return DecodedMessage(problems: [
                DecodeProblem(
                    kind: .tooLarge,
                    topic: topic,
                    detail: "payload of \(payload.count) bytes exceeds \(maximumPayloadBytes)"
                )
            ])
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(payload)
        } catch {
            // Availability and bridge state may be plain strings (`online`, Tasmota's `Offline`).
            if targets.allSatisfy({ if case .state = $0 { false } else { true } }) {
                return decode(
                    topic: topic,
                    routes: targets,
                    json: .string(String(decoding: Array(payload), as: UTF8.self)),
                    at: time,
                    source: source
                )
            }
            return DecodedMessage(problems: [
                DecodeProblem(kind: .notJSON, topic: topic, detail: "\(error.message) at byte \(error.offset)")
            ])
        }
        return decode(topic: topic, routes: targets, json: json, at: time, source: source)
    }

    /// Decodes a payload already parsed (replay lines carry the payload as a JSON value).
    public func decode(
        topic: String,
        json: JSONValue,
        at time: Instant,
        source: ReadingSource = .replay
    )
        -> DecodedMessage
    {
        guard let targets = routes[topic] else {
            return DecodedMessage(problems: [
                DecodeProblem(kind: .unknownTopic, topic: topic, detail: "no device uses this topic")
            ])
        }
        if case .string(let text) = json, targets.contains(where: { if case .state = $0 { true } else { false } }) {
            // A state payload sent as a JSON string holding JSON.
            guard let inner = try? JSONParser.parse(text) else {
                return DecodedMessage(problems: [
                    DecodeProblem(kind: .notJSON, topic: topic, detail: "payload is not a JSON object")
                ])
            }
            return decode(topic: topic, routes: targets, json: inner, at: time, source: source)
        }
        return decode(topic: topic, routes: targets, json: json, at: time, source: source)
    }

    private func decode(
        topic: String,
        routes: [Route],
        json: JSONValue,
        at time: Instant,
        source: ReadingSource
    )
        -> DecodedMessage
    {
        var out = DecodedMessage()
        for route in routes {
            switch route {
            case .state(let i):
                decodeState(devices[i], topic: topic, json: json, at: time, source: source, into: &out)
            case .availability(let i):
                if let online = Self.onlineState(json) {
                    if !online { out.alarmBearing = true }
                    out.readings.append(
                        Reading(
                            device: devices[i].id,
                            channel: ChannelID(.availability),
                            value: .bool(online),
                            timestamp: time,
                            source: source
                        )
                    )
                } else {
                    out.problems.append(
                        DecodeProblem(
                            kind: .unknownValue,
                            topic: topic,
                            device: devices[i].id,
                            detail: "availability is neither online nor offline"
                        )
                    )
                }
            case .bridgeState(let bridge):
                if let online = Self.onlineState(json) {
                    if !online { out.alarmBearing = true }
                    out.bridgeState = BridgeState(bridge: bridge, online: online)
                } else {
                    out.problems.append(
                        DecodeProblem(
                            kind: .unknownValue,
                            topic: topic,
                            detail: "bridge state is neither online nor offline"
                        )
                    )
                }
            }
        }
        return out
    }

    /// `{"state": "online"}` or the plain string, any case.
    static func onlineState(_ json: JSONValue) -> Bool? {
        let text: String
        switch json {
        case .string(let s): text = s
        case .object:
            guard case .string(let s)? = json["state"] else { return nil }
            text = s
        default: return nil
        }
        switch text.trimmingWhitespace().lowercased() {
        case "online": return true
        case "offline": return false
        default: return nil
        }
    }

    private func decodeState(
        _ device: CampusDevice,
        topic: String,
        json: JSONValue,
        at time: Instant,
        source: ReadingSource,
        into out: inout DecodedMessage
    ) {
        guard case .object = json else {
            out.problems.append(
                DecodeProblem(kind: .notJSON, topic: topic, device: device.id, detail: "payload is not a JSON object")
            )
            return
        }
        let first = out.readings.count
        var selfTest = false
        for (channel, decoding) in device.channelOrder {
            guard let raw = json.value(at: decoding.keyPath) else { continue }
            switch Self.value(raw, decoding: decoding, kind: channel.kind) {
            case .none:
                continue
            case .success(let value):
                if channel.kind == .selfTest, value == .bool(true) { selfTest = true }
                let reading = Reading(
                    device: device.id,
                    channel: channel,
                    value: value,
                    timestamp: time,
                    source: source
                )
                if !out.alarmBearing && device.isAlarmBearing(reading) { out.alarmBearing = true }
                out.readings.append(reading)
            case .failure(let kind, let detail):
                out.problems.append(
                    DecodeProblem(kind: kind, topic: topic, device: device.id, channel: channel, detail: detail)
                )
            }
        }
        if selfTest {
            for k in first..<out.readings.count { out.readings[k].selfTest = true }
        }
    }

    enum Decoded: Equatable {
        case none
        case success(ReadingValue)
        case failure(DecodeProblem.Kind, String)
    }

    static func value(_ raw: JSONValue, decoding: ChannelDecoding, kind: ChannelKind) -> Decoded {
        if case .null = raw { return .none }
        if case .string(let s) = raw, let mapped = decoding.map[s] {
            guard let mapped else { return .none }
            return .success(mapped)
        }
        switch decoding.type {
        case .number:
            switch raw {
            case .number(let v):
                guard v.isFinite else { return .failure(.notFinite, "\(v) is not a finite number") }
                let scaled = decoding.apply(v)
                guard scaled.isFinite else { return .failure(.notFinite, "\(v) overflows when scaled") }
                return .success(.number(scaled))
            default:
                return .failure(.wrongType, "expected a number, got \(raw.typeName)")
            }
        case .bool:
            switch raw {
            case .bool(let b): return .success(.bool(b))
            case .number(let v) where v == 0 || v == 1: return .success(.bool(v == 1))
            default: return .failure(.wrongType, "expected true or false, got \(raw.typeName)")
            }
        case .event:
            guard case .string(let s) = raw else {
                return .failure(.wrongType, "expected a string, got \(raw.typeName)")
            }
            if s.isEmpty || decoding.idle.contains(s) { return .none }
            return .success(.event(s))
        }
    }
}

extension JSONValue {
    var typeName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
