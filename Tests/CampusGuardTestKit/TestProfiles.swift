import CampusGuardCore

/// Small profiles with known limits, so engine tests read as the rule they pin.
public enum TestProfiles {
    public static let smoke = DeviceProfile(
        id: "test-smoke",
        vendor: "Test",
        model: "Smoke",
        transport: .mqtt,
        mqtt: MQTTFormat(format: .zigbee2mqtt, availabilityTopic: "{topic}/availability"),
        reportInterval: .hours(1),
        missedReports: 3,
        channels: [
            ChannelID(.smoke): ChannelDecoding(type: .bool, keyPath: ["smoke"]),
            ChannelID(.selfTest): ChannelDecoding(type: .bool, keyPath: ["test"]),
            ChannelID(.battery): ChannelDecoding(type: .number, keyPath: ["battery"]),
            ChannelID(.tamper): ChannelDecoding(type: .bool, keyPath: ["tamper"]),
            ChannelID(.fault): ChannelDecoding(type: .bool, keyPath: ["trouble"]),
        ],
        thresholds: [
            ChannelID(.smoke): ThresholdSpec(severity: .major),
            ChannelID(.battery): ThresholdSpec(levels: [
                ThresholdLevel(direction: .below, limit: 15, severity: .minor, hysteresis: 5)
            ]),
        ]
    )

    /// EN 54-5 A1R-like: static 56 °C, rate-of-rise 4 °C/min from 46 °C.
    public static let temperature = DeviceProfile(
        id: "test-temperature",
        vendor: "Test",
        model: "Temperature",
        transport: .mqtt,
        mqtt: MQTTFormat(format: .zigbee2mqtt),
        reportInterval: .minutes(10),
        missedReports: 3,
        channels: [ChannelID(.temperature): ChannelDecoding(type: .number, keyPath: ["temperature"])],
        thresholds: [
            ChannelID(.temperature): ThresholdSpec(
                levels: [ThresholdLevel(direction: .above, limit: 56, severity: .major, hysteresis: 3)],
                rateOfRise: RateOfRise(perMinute: 4, minimum: 46, window: .minutes(5))
            )
        ]
    )

    /// %LEL: low alarm 20 (major), high alarm 50 (critical).
    public static let gas = DeviceProfile(
        id: "test-gas",
        vendor: "Test",
        model: "Gas",
        transport: .mqtt,
        mqtt: MQTTFormat(format: .json),
        reportInterval: .hours(1),
        missedReports: 3,
        channels: [ChannelID(.gas): ChannelDecoding(type: .number, keyPath: ["gas"])],
        thresholds: [
            ChannelID(.gas): ThresholdSpec(levels: [
                ThresholdLevel(direction: .above, limit: 20, severity: .major, hysteresis: 5),
                ThresholdLevel(direction: .above, limit: 50, severity: .critical, hysteresis: 5),
            ])
        ]
    )

    /// Residual current, alarm at 300 mA (GB 50116), polled every 30 s.
    public static let residualCurrent = DeviceProfile(
        id: "test-rcm",
        vendor: "Test",
        model: "RCM",
        transport: .mqtt,
        mqtt: MQTTFormat(format: .json),
        reportInterval: .seconds(30),
        missedReports: 3,
        channels: [ChannelID(.residualCurrent, index: 1): ChannelDecoding(type: .number, keyPath: ["rc1"])],
        thresholds: [
            ChannelID(.residualCurrent): ThresholdSpec(levels: [
                ThresholdLevel(direction: .above, limit: 300, severity: .major, hysteresis: 30)
            ])
        ]
    )

    /// CO (EN 50291-like): 300 ppm at once, 100 ppm after 10 minutes.
    public static let co = DeviceProfile(
        id: "test-co",
        vendor: "Test",
        model: "CO",
        transport: .mqtt,
        mqtt: MQTTFormat(format: .json),
        reportInterval: .hours(1),
        missedReports: 3,
        channels: [ChannelID(.co): ChannelDecoding(type: .number, keyPath: ["co"])],
        thresholds: [
            ChannelID(.co): ThresholdSpec(levels: [
                ThresholdLevel(direction: .above, limit: 300, severity: .critical),
                ThresholdLevel(direction: .above, limit: 100, severity: .major, minimumDuration: .minutes(10)),
            ])
        ]
    )

    /// A one-key alarm button: only speaks when pressed, so not supervised by silence.
    public static let panic = DeviceProfile(
        id: "test-panic",
        vendor: "Test",
        model: "Panic",
        transport: .mqtt,
        mqtt: MQTTFormat(format: .zigbee2mqtt),
        reportInterval: .zero,
        missedReports: 1,
        channels: [ChannelID(.button): ChannelDecoding(type: .event, keyPath: ["action"], idle: ["release", "off"])]
    )

    public static let all: [String: DeviceProfile] = Dictionary(
        uniqueKeysWithValues: [smoke, temperature, gas, residualCurrent, co, panic].map { ($0.id, $0) }
    )
}
