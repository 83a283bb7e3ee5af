import CampusGuardCore

/// Builds a campus in code: buildings dorm-a, dorm-b (dormitories) and kitchen.
public enum TestCampus {
    public static let buildings = [
        Building(id: "dorm-a", name: "Dormitory A", kind: .dormitory),
        Building(id: "dorm-b", name: "Dormitory B", kind: .dormitory),
        Building(id: "kitchen", name: "Kitchen", kind: .kitchen),
    ]

    /// `devices`: (id, profile id from `TestProfiles`, location `BUILDING/FLOOR/ROOM`); topics are `z2m/<id>`.
    /// `disabled`: ids configured with `enabled: false`.
    public static func make(
        _ devices: [(String, String, String)],
        settings: EngineSettings = EngineSettings(),
        thresholdsByKind: [LocationKind: [ChannelID: ThresholdSpec]] = [:],
        disabled: Set<String> = []
    ) -> Campus {
        let configs = devices.map { d in
            DeviceConfig(
                id: d.0,
                profile: d.1,
                location: LocationPath(d.2)!,
                topic: "z2m/\(d.0)",
                enabled: !disabled.contains(d.0)
            )
        }
        let config = SiteConfig(
            site: .init(id: "test-school", name: "Test School"),
            buildings: buildings,
            devices: configs,
            thresholdsByLocationKind: thresholdsByKind,
            engine: settings
        )
        do {
            return try Campus(config: config, profiles: TestProfiles.all)
        } catch {
            fatalError("test campus: \(error)")
        }
    }
}

/// The instant every test starts at: 2026-11-20T22:00:00Z.
public let testStart = Instant(millisecondsSinceEpoch: 1_795_212_000_000)
