import CampusGuardCore
import CampusGuardDelivery
import CampusGuardTestKit

/// A small school with Chinese names, and notices of its alarms.
enum NoticeFixtures {
    static let campus: Campus = {
        let config = SiteConfig(
            site: .init(id: "demo-school", name: "示范学校", timezone: "Asia/Shanghai"),
            buildings: [
                Building(id: "dorm-a", name: "学生宿舍A栋", kind: .dormitory, cameraURL: "rtsp://127.0.0.1:8554/dorm-a"),
                Building(id: "kitchen", name: "食堂后厨", kind: .kitchen),
            ],
            devices: [
                DeviceConfig(
                    id: "dorm-a-301-smoke-1",
                    name: "301烟感1",
                    profile: "test-smoke",
                    location: LocationPath("dorm-a/3/301")!,
                    topic: "z2m/dorm-a-301-smoke-1"
                ),
                DeviceConfig(
                    id: "dorm-a-301-smoke-2",
                    profile: "test-smoke",
                    location: LocationPath("dorm-a/3/301")!,
                    topic: "z2m/dorm-a-301-smoke-2"
                ),
                DeviceConfig(
                    id: "kitchen-gas-1",
                    name: "灶台燃气探测器",
                    profile: "test-gas",
                    location: LocationPath("kitchen/1/stoves")!,
                    topic: "z2m/kitchen-gas-1"
                ),
            ]
        )
        return try! Campus(config: config, profiles: TestProfiles.all)
    }()

    /// 2026-11-20T22:00:05Z: 2026-11-21 06:00:05 in Shanghai.
    static let at = testStart + .seconds(5)

    /// Smoke confirmed as fire in dorm-a 301 by its two detectors.
    static func fire(test: Bool = false, type: EventType = .alarmUpdated) -> Event {
        Event(
            timestamp: at,
            type: type,
            alarm: "20261120T220000Z-1",
            kind: .fire,
            severity: .critical,
            devices: ["dorm-a-301-smoke-1", "dorm-a-301-smoke-2"],
            location: "dorm-a/3/301",
            test: test,
            reason: "two_smoke_detectors",
            previousKind: type == .alarmUpdated ? .smoke : nil,
            values: [
                EventValue(device: "dorm-a-301-smoke-1", channel: ChannelID(.smoke), value: .bool(true)),
                EventValue(device: "dorm-a-301-smoke-2", channel: ChannelID(.smoke), value: .bool(true)),
            ]
        )
    }

    static func gas(_ percent: Double = 35) -> Event {
        Event(
            timestamp: at,
            type: .alarmRaised,
            alarm: "20261120T220005Z-2",
            kind: .gasLeak,
            severity: .major,
            devices: ["kitchen-gas-1"],
            location: "kitchen/1/stoves",
            reason: "threshold",
            values: [EventValue(device: "kitchen-gas-1", channel: ChannelID(.gas), value: .number(percent))]
        )
    }

    static func notice(
        _ event: Event = fire(),
        acknowledgeURL: String? = "https://gw.school.lan/ack/20261120T220000Z-1?exp=1795215600&sig=ab",
        tier: Int = 1,
        marking: NoticeMarking? = nil
    ) -> StaffNotice {
        StaffNotice(
            deliveryID: "d-42",
            event: event,
            campus: campus,
            acknowledgeURL: acknowledgeURL,
            tier: tier,
            marking: marking
        )
    }
}
