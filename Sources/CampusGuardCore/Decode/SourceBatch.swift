/// What a source (an MQTT client, a Modbus poller) hands to the engine for one message or poll.
public struct SourceBatch: Sendable, Hashable {
    public var readings: [Reading]
    public var bridgeState: BridgeState?
    /// When the gateway received it: the engine's now for these readings.
    public var receivedAt: Instant
    /// It may raise or worsen an alarm or fault: a bounded queue must never drop it.
    public var alarmBearing: Bool
    /// MQTT: the message's identity across a broker's redelivery (broker, message id, topic,
    /// payload), so a QoS 1 message delivered again after a reconnect or restart is taken once.
    public var redeliveryKey: UInt64?

    public init(
        readings: [Reading],
        bridgeState: BridgeState? = nil,
        receivedAt: Instant,
        alarmBearing: Bool,
        redeliveryKey: UInt64? = nil
    ) {
        self.readings = readings
        self.bridgeState = bridgeState
        self.receivedAt = receivedAt
        self.alarmBearing = alarmBearing
        self.redeliveryKey = redeliveryKey
    }
}

extension Campus {
    /// Whether a reading could raise or worsen an alarm or fault by itself: a condition true, a
    /// button press, a value past one of the device's levels, availability lost. Pure, cheap,
    /// and on the safe side: it answers yes when unsure.
    public func isAlarmBearing(_ reading: Reading) -> Bool {
        guard let device = device(reading.device) else { return false }
        return device.isAlarmBearing(reading)
    }
}

extension CampusDevice {
    /// `Campus.isAlarmBearing` for a reading known to be this device's.
    public func isAlarmBearing(_ reading: Reading) -> Bool {
        switch reading.value {
        case .event:
            return reading.channel.kind == .button
        case .bool(let b):
            if reading.channel.kind == .availability { return !b }
            return b && reading.channel.kind != .selfTest
        case .number(let v):
            guard let spec = thresholds[reading.channel] else { return false }
            if spec.levels.contains(where: { $0.isPast(v) }) { return true }
            if let rise = spec.rateOfRise, v >= rise.minimum { return true }
            return false
        }
    }
}
