/// The config's devices resolved against their profiles, buildings and threshold overrides:
/// what the decoder and the engine work from.
public struct Campus: Sendable {
    public let config: SiteConfig
    public let profiles: [String: DeviceProfile]
    public let devices: [CampusDevice]
    public let deviceIndex: [String: Int]

    /// Fails with every problem at once: an unknown profile, building, broker or bus, or a duplicate id.
    public init(config: SiteConfig, profiles: [String: DeviceProfile]) throws(CoreError) {
        var problems: [String] = []
        var devices: [CampusDevice] = []
        var index: [String: Int] = [:]
        let buildings = Dictionary(config.buildings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for d in config.devices {
            guard index[d.id] == nil else {
                problems.append("device \(d.id): duplicate id")
                continue
            }
            guard let profile = profiles[d.profile] else {
                problems.append("device \(d.id): unknown profile \(d.profile)")
                continue
            }
            guard let building = buildings[d.location.building] else {
                problems.append("device \(d.id): unknown building \(d.location.building)")
                continue
            }
            let device = CampusDevice(
                index: devices.count,
                config: d,
                profile: profile,
                building: building,
                kindOverrides: config.thresholdsByLocationKind[building.kind] ?? [:]
            )
            index[d.id] = devices.count
            devices.append(device)
        }
        guard problems.isEmpty else { throw CoreError(problems) }
        self.config = config
        self.profiles = profiles
        self.devices = devices
        self.deviceIndex = index
    }

    public func device(_ id: String) -> CampusDevice? { deviceIndex[id].map { devices[$0] } }
}

/// One configured device with everything resolved. A class, immutable: the decoder and the
/// engine pass it around per reading, and a reference costs one retain where a struct of this
/// size would copy every field.
public final class CampusDevice: Sendable {
    public let index: Int
    public let config: DeviceConfig
    public let profile: DeviceProfile
    public let building: Building
    /// The limits in force per channel: the profile's, overridden by location kind, then by the device.
    public let thresholds: [ChannelID: ThresholdSpec]
    /// The profile's channels in a fixed order (`ChannelID`'s), so decoding needs no sort.
    public let channelOrder: [(channel: ChannelID, decoding: ChannelDecoding)]
    public let stateTopic: String?
    public let availabilityTopic: String?
    /// Zigbee2MQTT bridge base topic, for `format: zigbee2mqtt` devices.
    public let bridge: String?
    /// What the device is reached through, whose loss is ONE fault for all its devices: its
    /// Zigbee2MQTT bridge (the base topic), or its Modbus bus (`modbus:<bus id>`).
    public let link: String?

    public var id: String { config.id }
    public var location: LocationPath { config.location }

    init(
        index: Int,
        config: DeviceConfig,
        profile: DeviceProfile,
        building: Building,
        kindOverrides: [ChannelID: ThresholdSpec]
    ) {
        self.index = index
        self.config = config
        self.profile = profile
        self.building = building
        var thresholds: [ChannelID: ThresholdSpec] = [:]
        for channel in profile.channels.keys {
            if let spec = Self.override(channel, in: config.thresholds) ?? Self.override(channel, in: kindOverrides)
                ?? Self.override(channel, in: profile.thresholds)
            {
                thresholds[channel] = spec
            }
        }
        self.thresholds = thresholds
        self.channelOrder = profile.channels.sorted { $0.key < $1.key }.map { (channel: $0.key, decoding: $0.value) }
        if let topic = config.topic, let mqtt = profile.mqtt {
            stateTopic = mqtt.stateTopic.replacingTopic(with: topic)
            availabilityTopic = mqtt.availabilityTopic.map { $0.replacingTopic(with: topic) }
            if mqtt.format == .zigbee2mqtt {
                bridge = config.bridge ?? topic.split(separator: "/").first.map(String.init)
            } else {
                bridge = nil
            }
        } else {
            stateTopic = nil
            availabilityTopic = nil
            bridge = nil
        }
        link = bridge ?? config.bus.map { Self.busLink($0) }
    }

    /// The link name of a Modbus bus, as `BridgeState` carries it.
    public static func busLink(_ bus: String) -> String { "modbus:" + bus }

    /// An entry for `residual_current.3` itself, else one for all `residual_current` points.
    private static func override(_ channel: ChannelID, in specs: [ChannelID: ThresholdSpec]) -> ThresholdSpec? {
        if let exact = specs[channel] { return exact }
        if channel.index != nil { return specs[ChannelID(channel.kind)] }
        return nil
    }
}

extension String {
    func replacingTopic(with topic: String) -> String { replacing("{topic}", with: topic) }
}
