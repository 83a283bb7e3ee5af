/// How a device model talks and what it measures; loaded from `DeviceProfiles/<id>.yaml`.
public struct DeviceProfile: Sendable, Hashable {
    public enum Transport: String, Sendable, Hashable, CaseIterable {
        case mqtt, modbus
    }

    public var id: String
    public var vendor: String
    public var model: String
    public var description: String
    public var transport: Transport
    public var mqtt: MQTTFormat?
    public var modbus: ModbusOptions?
    /// The longest normal gap between two messages; zero turns supervision off.
    public var reportInterval: Interval
    public var missedReports: Int
    public var channels: [ChannelID: ChannelDecoding]
    public var thresholds: [ChannelID: ThresholdSpec]

    public init(
        id: String,
        vendor: String,
        model: String,
        description: String = "",
        transport: Transport,
        mqtt: MQTTFormat? = nil,
        modbus: ModbusOptions? = nil,
        reportInterval: Interval = .hours(1),
        missedReports: Int = 3,
        channels: [ChannelID: ChannelDecoding],
        thresholds: [ChannelID: ThresholdSpec] = [:]
    ) {
        self.id = id
        self.vendor = vendor
        self.model = model
        self.description = description
        self.transport = transport
        self.mqtt = mqtt
        self.modbus = modbus
        self.reportInterval = reportInterval
        self.missedReports = missedReports
        self.channels = channels
        self.thresholds = thresholds
    }

    /// Silence longer than this is a `device_fault`; nil when the model is not supervised.
    public var supervisionTimeout: Interval? {
        reportInterval.milliseconds > 0 ? reportInterval * max(missedReports, 1) : nil
    }

    /// A model with a `button` channel is a one-key alarm: it can never be disabled.
    public var isPanicButton: Bool { channels.keys.contains { $0.kind == .button } }
}

/// The MQTT side of a profile: payload format and topic templates (`{topic}` is the device's topic).
public struct MQTTFormat: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case zigbee2mqtt, tasmota, json
    }

    public var format: Format
    public var stateTopic: String
    public var availabilityTopic: String?

    public init(format: Format, stateTopic: String = "{topic}", availabilityTopic: String? = nil) {
        self.format = format
        self.stateTopic = stateTopic
        self.availabilityTopic = availabilityTopic
    }
}

/// Request options of a Modbus profile.
public struct ModbusOptions: Sendable, Hashable {
    /// Registers of one device closer than this are read in one request.
    public var maxGap: Int

    public init(maxGap: Int = 8) { self.maxGap = maxGap }
}

/// How one channel's value is found and turned into a reading.
public struct ChannelDecoding: Sendable, Hashable {
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        case number, bool, event
    }

    public var type: ValueType
    public var unit: String?
    public var scale: Double
    public var offset: Double
    /// MQTT: the JSON key or dotted path.
    public var keyPath: [String]
    /// MQTT: strings mapped to values; `.none` means "ignore this string".
    public var map: [String: ReadingValue?]
    /// Event channels: values that are not an event (a button's `release`).
    public var idle: Set<String>
    public var register: ModbusRegister?

    public init(
        type: ValueType,
        unit: String? = nil,
        scale: Double = 1,
        offset: Double = 0,
        keyPath: [String] = [],
        map: [String: ReadingValue?] = [:],
        idle: Set<String> = [],
        register: ModbusRegister? = nil
    ) {
        self.type = type
        self.unit = unit
        self.scale = scale
        self.offset = offset
        self.keyPath = keyPath
        self.map = map
        self.idle = idle
        self.register = register
    }
}

extension ChannelDecoding {
    /// `value × scale + offset`. A scale of 0.1 or 0.01 divides by 10 or 100 instead, so that
    /// 101 × 0.1 is 10.1 and not 10.100000000000001.
    public func apply(_ value: Double) -> Double {
        let inverse = 1 / scale
        let scaled = scale < 1 && inverse == inverse.rounded() ? value / inverse : value * scale
        return scaled + offset
    }
}

/// Where a Modbus channel lives and how its words are decoded.
public struct ModbusRegister: Sendable, Hashable {
    public enum Table: String, Sendable, Hashable, CaseIterable {
        case coil
        case discreteInput = "discrete_input"
        case holding, input
    }

    public enum DataType: String, Sendable, Hashable, CaseIterable {
        case uint16, int16, uint32, int32, float32, bool, bits
    }

    public enum WordOrder: String, Sendable, Hashable, CaseIterable {
        case big, little
    }

    public var table: Table
    public var address: Int
    public var dataType: DataType
    public var wordOrder: WordOrder
    public var bit: Int?
    /// Raw register values that mean a sensor state, not a measurement (`0xFFFF: open_circuit`).
    public var sentinels: [UInt32: String]

    public init(
        table: Table,
        address: Int,
        dataType: DataType,
        wordOrder: WordOrder = .big,
        bit: Int? = nil,
        sentinels: [UInt32: String] = [:]
    ) {
        self.table = table
        self.address = address
        self.dataType = dataType
        self.wordOrder = wordOrder
        self.bit = bit
        self.sentinels = sentinels
    }

    /// How many 16-bit registers (or bits, for coils and discrete inputs) the value spans.
    public var width: Int {
        switch dataType {
        case .uint32, .int32, .float32: 2
        default: 1
        }
    }
}
