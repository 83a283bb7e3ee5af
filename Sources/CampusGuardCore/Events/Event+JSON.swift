extension Event {
    /// The event as one line of JSON, keys in a fixed order, no trailing newline.
    public var jsonLine: String {
        var w = JSONObjectWriter()
        w.string("ts", RFC3339.format(timestamp))
        w.string("type", type.rawValue)
        if let alarm { w.string("alarm", alarm) }
        w.string("kind", kind.rawValue)
        w.string("severity", severity.rawValue)
        w.bool("test", test)
        w.string("location", location)
        w.raw("devices", "[" + devices.map(JSONObjectWriter.quote).joined(separator: ",") + "]")
        if let reason { w.string("reason", reason) }
        if let previousKind { w.string("previous_kind", previousKind.rawValue) }
        if !values.isEmpty {
            let items = values.map { v in
                var o = JSONObjectWriter()
                o.string("device", v.device)
                o.string("channel", v.channel.description)
                o.raw("value", JSONObjectWriter.encode(v.value))
                return o.finish()
            }
            w.raw("values", "[" + items.joined(separator: ",") + "]")
        }
        if let by { w.string("by", by) }
        if let note { w.string("note", note) }
        if let channel { w.string("channel", channel) }
        if let tier { w.raw("tier", String(tier)) }
        if let delivery { w.string("delivery", delivery) }
        return w.finish()
    }
}

/// Writes one JSON object with keys in the order they are added: the event format's writer,
/// shared by the store's export and the uplink.
public struct JSONObjectWriter: Sendable {
    private var text = "{"

    public init() {}

    public mutating func string(_ key: String, _ value: String) { raw(key, Self.quote(value)) }
    public mutating func bool(_ key: String, _ value: Bool) { raw(key, value ? "true" : "false") }

    public mutating func raw(_ key: String, _ json: String) {
        if text.utf8.count > 1 { text += "," }
        text += Self.quote(key) + ":" + json
    }

    public func finish() -> String { text + "}" }

    public static func encode(_ value: ReadingValue) -> String {
        switch value {
        case .number(let v): v.isFinite ? formatNumber(v) : "null"
        case .bool(let b): b ? "true" : "false"
        case .event(let s): quote(s)
        }
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
