/// A value a device reported on one channel.
public enum ReadingValue: Hashable, Sendable, CustomStringConvertible {
    case number(Double)
    case bool(Bool)
    /// Something that happened rather than a level: a button's `single`, `hold`, `emergency`.
    case event(String)

    public var description: String {
        switch self {
        case .number(let v): formatNumber(v)
        case .bool(let b): b ? "true" : "false"
        case .event(let s): s
        }
    }
}

/// Where a reading came from.
public enum ReadingSource: String, Sendable, Hashable {
    case mqtt, modbus, replay
}

/// One device's value on one channel at one instant.
public struct Reading: Hashable, Sendable {
    public var device: String
    public var channel: ChannelID
    public var value: ReadingValue
    public var timestamp: Instant
    public var source: ReadingSource
    /// The device marked the message as a self-test (its `test` / `self_test` flag).
    public var selfTest: Bool

    public init(
        device: String,
        channel: ChannelID,
        value: ReadingValue,
        timestamp: Instant,
        source: ReadingSource = .replay,
        selfTest: Bool = false
    ) {
        self.device = device
        self.channel = channel
        self.value = value
        self.timestamp = timestamp
        self.source = source
        self.selfTest = selfTest
    }
}

/// Numbers as people and JSON read them: integers without a fraction, others shortest-exact.
func formatNumber(_ v: Double) -> String {
    if v.isFinite, v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    return "\(v)"
}
