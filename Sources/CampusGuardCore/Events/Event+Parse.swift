extension Event {
    /// Reads an event back from its JSON line (`jsonLine`); nil when the line is not an event
    /// of this format. Values are read back when their channel and value are of the vocabulary.
    public init?(jsonLine: String) {
        guard let o = try? JSONParser.parse(jsonLine),
            case .string(let ts)? = o["ts"], let timestamp = RFC3339.parse(ts),
            case .string(let typeName)? = o["type"], let type = EventType(rawValue: typeName),
            case .string(let kindName)? = o["kind"], let kind = AlarmKind(rawValue: kindName),
            case .string(let severityName)? = o["severity"], let severity = Severity(rawValue: severityName),
            case .string(let location)? = o["location"]
        else { return nil }
        func string(_ key: String) -> String? {
            if case .string(let s)? = o[key] { return s }
            return nil
        }
        var devices: [String] = []
        if case .array(let items)? = o["devices"] {
            for case .string(let d) in items { devices.append(d) }
        }
        var values: [EventValue] = []
        if case .array(let items)? = o["values"] {
            for item in items {
                guard case .string(let device)? = item["device"], case .string(let name)? = item["channel"],
                    let channel = ChannelID(name)
                else { continue }
                let value: ReadingValue
                switch item["value"] {
                case .number(let n)?: value = .number(n)
                case .bool(let b)?: value = .bool(b)
                case .string(let s)?: value = .event(s)
                default: continue
                }
                values.append(EventValue(device: device, channel: channel, value: value))
            }
        }
        var tier: Int? = nil
        if case .number(let n)? = o["tier"] { tier = Int(exactly: n) }
        self.init(
            timestamp: timestamp,
            type: type,
            alarm: string("alarm"),
            kind: kind,
            severity: severity,
            devices: devices,
            location: location,
            test: o["test"] == .bool(true),
            reason: string("reason"),
            previousKind: string("previous_kind").flatMap(AlarmKind.init(rawValue:)),
            values: values,
            by: string("by"),
            note: string("note"),
            channel: string("channel"),
            tier: tier
        )
        self.delivery = string("delivery")
    }
}
