/// The value of one channel that led to an event.
public struct EventValue: Hashable, Sendable {
    public var device: String
    public var channel: ChannelID
    public var value: ReadingValue

    public init(device: String, channel: ChannelID, value: ReadingValue) {
        self.device = device
        self.channel = channel
        self.value = value
    }
}

/// Something the engine (or, later, delivery) decided, at one instant.
///
/// Its JSON line (`jsonLine`) is the event format that `replay`, `run --events`, the store's
/// export and outside tools share; see docs/events.md.
public struct Event: Hashable, Sendable {
    public var timestamp: Instant
    public var type: EventType
    /// The stable id of the alarm or fault this event belongs to.
    public var alarm: String?
    public var kind: AlarmKind
    public var severity: Severity
    public var devices: [String]
    /// `BUILDING/FLOOR/ROOM`, or the part of it that all the devices share.
    public var location: String
    /// A self-test, a device in maintenance, or a drill: delivered to staff marked as such, never to the police.
    public var test: Bool
    /// Why, in one machine-readable word: `threshold`, `two_smoke_detectors`, `not_acknowledged`, `offline`, …
    public var reason: String?
    /// The alarm's kind before an `alarm.updated` changed it.
    public var previousKind: AlarmKind?
    public var values: [EventValue]
    /// Who acknowledged or resolved, and their note.
    public var by: String?
    public var note: String?
    /// Delivery events: the channel id and the escalation tier.
    public var channel: String?
    public var tier: Int?
    /// Delivery events: the delivery's id, the same across retries and restarts.
    public var delivery: String?

    public init(
        timestamp: Instant,
        type: EventType,
        alarm: String?,
        kind: AlarmKind,
        severity: Severity,
        devices: [String],
        location: String,
        test: Bool = false,
        reason: String? = nil,
        previousKind: AlarmKind? = nil,
        values: [EventValue] = [],
        by: String? = nil,
        note: String? = nil,
        channel: String? = nil,
        tier: Int? = nil
    ) {
        self.timestamp = timestamp
        self.type = type
        self.alarm = alarm
        self.kind = kind
        self.severity = severity
        self.devices = devices
        self.location = location
        self.test = test
        self.reason = reason
        self.previousKind = previousKind
        self.values = values
        self.by = by
        self.note = note
        self.channel = channel
        self.tier = tier
    }
}
