import CampusGuardCore

/// One line of a replay input (JSON Lines), as docs/replay.md describes.
enum ReplayLine: Equatable {
    /// An MQTT message as the broker delivered it.
    case message(topic: String, payload: JSONValue)
    /// A reading already decoded.
    case reading(device: String, channel: ChannelID, value: ReadingValue, selfTest: Bool)
    /// What a person did, so that a recorded incident replays with its acknowledgements.
    case command(ReplayAction)

    struct Parsed: Equatable {
        var time: Instant
        var line: ReplayLine
    }

    /// Parses one line; the error is the message for stderr.
    static func parse(_ text: String) -> Result<Parsed, ReplayLineError> {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            return .failure(ReplayLineError("not JSON: \(error.message) at byte \(error.offset)"))
        }
        guard case .object = json else { return .failure(ReplayLineError("each line must be a JSON object")) }
        guard case .string(let ts)? = json["ts"] else {
            return .failure(ReplayLineError("missing \"ts\" (RFC 3339 timestamp)"))
        }
        guard let time = RFC3339.parse(ts) else {
            return .failure(ReplayLineError("\"ts\" \"\(ts)\" is not an RFC 3339 timestamp"))
        }
        if case .string(let topic)? = json["topic"] {
            guard let payload = json["payload"] else {
                return .failure(ReplayLineError("a message line needs \"payload\""))
            }
            return .success(Parsed(time: time, line: .message(topic: topic, payload: payload)))
        }
        if case .string(let device)? = json["device"], let channelValue = json["channel"] {
            guard case .string(let channelName) = channelValue, let channel = ChannelID(channelName) else {
                return .failure(
                    ReplayLineError("\"channel\" must be a channel name such as smoke or residual_current.3")
                )
            }
            let value: ReadingValue
            switch json["value"] {
            case .number(let v)?:
                guard v.isFinite else { return .failure(ReplayLineError("\"value\" must be a finite number")) }
                value = .number(v)
            case .bool(let b)?: value = .bool(b)
            case .string(let s)?: value = .event(s)
            default: return .failure(ReplayLineError("\"value\" must be a number, true/false or a string"))
            }
            var selfTest = false
            if case .bool(let t)? = json["test"] { selfTest = t }
            return .success(
                Parsed(time: time, line: .reading(device: device, channel: channel, value: value, selfTest: selfTest))
            )
        }
        if json["command"] != nil {
            return ReplayAction.parse(json).map { Parsed(time: time, line: .command($0)) }
        }
        return .failure(
            ReplayLineError(
                "a line needs \"topic\" and \"payload\", \"device\", \"channel\" and \"value\", or \"command\""
            )
        )
    }
}

struct ReplayLineError: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}

/// A person's action in a replay.
enum ReplayAction: Equatable {
    /// `alarm` names the alarm; or `device` names every open alarm that includes that device.
    case acknowledge(target: Target, by: String)
    case resolve(target: Target, by: String, note: String?)
    case maintenanceStart(device: String, until: Instant)
    case maintenanceEnd(device: String)
    case drillStart(name: String, buildings: Set<String>?, includesPanicButtons: Bool)
    case drillStop

    enum Target: Equatable {
        case alarm(String)
        case device(String)
    }

    static func parse(_ json: JSONValue) -> Result<ReplayAction, ReplayLineError> {
        guard case .string(let name)? = json["command"] else {
            return .failure(ReplayLineError("\"command\" must be a string"))
        }
        func string(_ key: String) -> String? {
            if case .string(let s)? = json[key] { return s }
            return nil
        }
        let by = string("by") ?? "replay"
        func target() -> Target? {
            if let a = string("alarm") { return .alarm(a) }
            if let d = string("device") { return .device(d) }
            return nil
        }
        switch name {
        case "acknowledge":
            guard let t = target() else {
                return .failure(ReplayLineError("acknowledge needs \"alarm\" or \"device\""))
            }
            return .success(.acknowledge(target: t, by: by))
        case "resolve":
            guard let t = target() else { return .failure(ReplayLineError("resolve needs \"alarm\" or \"device\"")) }
            return .success(.resolve(target: t, by: by, note: string("note")))
        case "maintenance_start":
            guard let d = string("device"), let u = string("until").flatMap(RFC3339.parse) else {
                return .failure(ReplayLineError("maintenance_start needs \"device\" and \"until\" (RFC 3339)"))
            }
            return .success(.maintenanceStart(device: d, until: u))
        case "maintenance_end":
            guard let d = string("device") else { return .failure(ReplayLineError("maintenance_end needs \"device\"")) }
            return .success(.maintenanceEnd(device: d))
        case "drill_start":
            var buildings: Set<String>? = nil
            if case .array(let items)? = json["buildings"] {
                buildings = Set(items.compactMap { if case .string(let s) = $0 { s } else { nil } })
            }
            var panic = false
            if case .bool(let b)? = json["include_panic"] { panic = b }
            return .success(
                .drillStart(name: string("name") ?? "drill", buildings: buildings, includesPanicButtons: panic)
            )
        case "drill_stop":
            return .success(.drillStop)
        default:
            return .failure(
                ReplayLineError(
                    "unknown command \"\(name)\" (acknowledge, resolve, maintenance_start, maintenance_end, drill_start, drill_stop)"
                )
            )
        }
    }
}
