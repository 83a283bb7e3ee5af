/// What a device is, as staff name it, worked out from its profile's channels: the API's and
/// the CLI's `kind` filter. A device that measures several things is named by the first of
/// these it has: a panic button, a smoke detector, a gas detector, an electrical fire monitor,
/// a temperature sensor; anything else is `other`.
public enum DeviceKind: String, Sendable, Hashable, CaseIterable {
    case panicButton = "panic_button"
    case smokeDetector = "smoke_detector"
    case gasDetector = "gas_detector"
    case electricalFireMonitor = "electrical_fire_monitor"
    case temperatureSensor = "temperature_sensor"
    case other

    public init(profile: DeviceProfile) {
        let kinds = Set(profile.channels.keys.map(\.kind))
        if kinds.contains(.button) {
            self = .panicButton
        } else if kinds.contains(.smoke) {
            self = .smokeDetector
        } else if kinds.contains(.gas) || kinds.contains(.co) {
            self = .gasDetector
        } else if kinds.contains(.residualCurrent) || kinds.contains(.cableTemperature) {
            self = .electricalFireMonitor
        } else if kinds.contains(.temperature) {
            self = .temperatureSensor
        } else {
            self = .other
        }
    }
}
