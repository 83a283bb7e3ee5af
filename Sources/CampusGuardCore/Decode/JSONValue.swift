/// A parsed JSON value, as small as the decoder needs.
///
/// Objects keep their members in order as an array: device payloads have a few dozen keys at
/// most, where a linear search beats hashing every key.
public enum JSONValue: Hashable, Sendable {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    /// Non-finite numbers (`NaN`, `Infinity`) are kept so the decoder can report them per channel.
    case number(Double)
    case bool(Bool)
    case null

    /// The member `key` of an object; nil for other values or a missing key.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for m in members where m.key == key { return m.value }
        return nil
    }

    /// Follows a dotted path (`["DS18B20", "Temperature"]`).
    public func value(at path: [String]) -> JSONValue? {
        var current = self
        for key in path {
            guard let next = current[key] else { return nil }
            current = next
        }
        return current
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let a), .array(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .object(let members):
            for m in members {
                hasher.combine(m.key)
                hasher.combine(m.value)
            }
        case .array(let a): hasher.combine(a)
        case .string(let s): hasher.combine(s)
        case .number(let n): hasher.combine(n)
        case .bool(let b): hasher.combine(b)
        case .null: hasher.combine(0)
        }
    }
}
