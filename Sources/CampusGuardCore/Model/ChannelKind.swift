/// One measured quantity of a device, in the design's vocabulary.
public enum ChannelKind: String, CaseIterable, Sendable, Hashable {
    case smoke, gas, co, temperature
    case residualCurrent = "residual_current"
    case cableTemperature = "cable_temperature"
    case button, battery
    case batteryLow = "battery_low"
    case tamper, fault
    case selfTest = "self_test"
    case humidity
    case linkQuality = "link_quality"
    /// Whether the device is reachable (Zigbee2MQTT availability, Tasmota LWT); not measured, reported.
    case availability

    /// The alarm kind a channel raises when its condition holds; nil where it raises nothing by default.
    public var defaultAlarmKind: AlarmKind? {
        switch self {
        case .smoke: .smoke
        case .gas, .co: .gasLeak
        case .temperature: .overheat
        case .residualCurrent, .cableTemperature: .electricalFireRisk
        case .button: .panic
        case .tamper: .tamper
        case .battery, .batteryLow: .lowBattery
        case .fault: .deviceFault
        case .selfTest, .humidity, .linkQuality, .availability: nil
        }
    }

    /// The values a threshold on this channel may take; nil for channels without numeric limits.
    public var range: ClosedRange<Double>? {
        switch self {
        case .gas: 0...100
        case .co: 0...10_000
        case .temperature, .cableTemperature: -50...300
        case .residualCurrent: 0...10_000
        case .battery, .humidity: 0...100
        case .linkQuality: 0...255
        default: nil
        }
    }

    /// The unit people read next to a value of this channel.
    public var unit: String {
        switch self {
        case .gas: "%LEL"
        case .co: "ppm"
        case .temperature, .cableTemperature: "°C"
        case .residualCurrent: "mA"
        case .battery, .humidity: "%"
        default: ""
        }
    }
}

/// A channel of one device: its kind and, for devices that measure a quantity more than once
/// (a 12-loop residual current monitor), the point number: `residual_current.3`.
public struct ChannelID: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var kind: ChannelKind
    public var index: Int?

    public init(_ kind: ChannelKind, index: Int? = nil) {
        self.kind = kind
        self.index = index
    }

    /// Parses `smoke` or `residual_current.3`; nil for names outside the vocabulary.
    public init?(_ text: String) {
        if let dot = text.firstIndex(of: ".") {
            guard let kind = ChannelKind(rawValue: String(text[..<dot])),
                let n = Int(text[text.index(after: dot)...]), n >= 0
            else { return nil }
            self.init(kind, index: n)
        } else {
            guard let kind = ChannelKind(rawValue: text) else { return nil }
            self.init(kind)
        }
    }

    public var description: String {
        if let index { return "\(kind.rawValue).\(index)" }
        return kind.rawValue
    }

    /// By kind (the vocabulary's order), then point number: no string work on the hot path.
    public static func < (lhs: ChannelID, rhs: ChannelID) -> Bool {
        if lhs.kind != rhs.kind { return lhs.kind.ordinal < rhs.kind.ordinal }
        return (lhs.index ?? -1) < (rhs.index ?? -1)
    }

    // A raw-value enum hashes its String raw value by default; every dictionary lookup of the
    // engine keys on channels, so hash the case's position instead.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind.ordinal &* 1_000_003 &+ (index ?? -1))
    }

    public static func == (lhs: ChannelID, rhs: ChannelID) -> Bool {
        lhs.kind == rhs.kind && lhs.index == rhs.index
    }
}

extension ChannelKind {
    /// The case's position in the vocabulary.
    var ordinal: Int {
        switch self {
        case .smoke: 0
        case .gas: 1
        case .co: 2
        case .temperature: 3
        case .residualCurrent: 4
        case .cableTemperature: 5
        case .button: 6
        case .battery: 7
        case .batteryLow: 8
        case .tamper: 9
        case .fault: 10
        case .selfTest: 11
        case .humidity: 12
        case .linkQuality: 13
        case .availability: 14
        }
    }
}
