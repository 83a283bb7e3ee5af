import CampusGuardCore
import CampusGuardTestKit
import Testing

@testable import CampusGuardDelivery

@Suite("Contact ID events and addressing")
struct ContactIDTests {
    /// dorm-a: smoke-1, smoke-2, panic (zones 1–3); dorm-b: smoke (zone 1); kitchen: gas, co, temp.
    static let campus = TestCampus.make([
        ("a-smoke-1", "test-smoke", "dorm-a/3/301"),
        ("b-smoke-1", "test-smoke", "dorm-b/2/201"),
        ("a-smoke-2", "test-smoke", "dorm-a/3/301"),
        ("a-panic-1", "test-panic", "dorm-a/1/lobby"),
        ("k-gas-1", "test-gas", "kitchen/1/stoves"),
        ("k-co-1", "test-co", "kitchen/1/stoves"),
        ("k-temp-1", "test-temperature", "kitchen/1/stoves"),
    ])

    static func event(
        _ type: EventType,
        _ kind: AlarmKind,
        _ devices: [String],
        alarm: String = "A-1",
        reason: String? = nil,
        test: Bool = false,
        values: [EventValue] = []
    ) -> Event {
        Event(
            timestamp: testStart,
            type: type,
            alarm: alarm,
            kind: kind,
            severity: kind.defaultSeverity,
            devices: devices,
            location: "dorm-a/3/301",
            test: test,
            reason: reason,
            values: values
        )
    }

    @Test("Contact ID text is QEEE GG ZZZ, zero-padded, inside #ACCT|…")
    func text() {
        let e = ContactIDEvent(.new, code: 120, group: 1, zone: 3)
        #expect(e.text == "1120 01 003")
        #expect(e.data(account: "1234") == "#1234|1120 01 003")
        #expect(ContactIDEvent(.restore, code: 151, group: 12, zone: 345).text == "3151 12 345")
        #expect(ContactIDEvent(.new, code: 5000, group: -1, zone: 1000).text == "1999 00 999")
    }

    @Test("the code table: each kind and reason to its Contact ID code")
    func table() {
        func code(
            _ kind: AlarmKind,
            _ reason: String? = nil,
            _ channels: Set<ChannelKind> = [],
            wireless: Bool = true
        )
            -> Int
        { ContactIDEvent.code(kind: kind, reason: reason, channels: channels, wireless: wireless) }
        #expect(code(.fire, "two_smoke_detectors") == 110)
        #expect(code(.smoke) == 111)
        #expect(code(.overheat, "threshold") == 158)
        #expect(code(.overheat, "rate_of_rise") == 114)
        #expect(code(.panic, "press") == 120)
        #expect(code(.gasLeak, "threshold", [.gas]) == 151)
        #expect(code(.gasLeak, "threshold", [.co]) == 162)
        #expect(code(.gasLeak, "gas_and_electrical", [.gas, .residualCurrent]) == 151)
        #expect(code(.electricalFireRisk, "threshold") == 373)
        #expect(code(.tamper) == 137)
        #expect(code(.lowBattery, wireless: true) == 384)
        #expect(code(.lowBattery, wireless: false) == 302)
        #expect(code(.deviceFault, "silent") == 381)
        #expect(code(.deviceFault, "comms_lost") == 381)
        #expect(code(.deviceFault, "unavailable") == 381)
        #expect(code(.deviceFault, "bridge_offline") == 350)
        #expect(code(.deviceFault, "bus_offline") == 350)
        #expect(code(.deviceFault, "building_offline") == 350)
        #expect(code(.deviceFault, "device_alarm") == 380)
        #expect(code(.deviceFault, nil) == 380)
    }

    @Test("group is the building's position in locations, zone the device's position in its building")
    func defaultAddressing() throws {
        let a = ContactIDAddressing(campus: Self.campus)
        let pairs = a.entries.map { "\($0.device) \($0.group) \($0.zone)" }
        #expect(
            pairs == [
                "a-smoke-1 1 1", "b-smoke-1 2 1", "a-smoke-2 1 2", "a-panic-1 1 3", "k-gas-1 3 1", "k-co-1 3 2",
                "k-temp-1 3 3",
            ]
        )
        #expect(a.group(building: "kitchen") == 3)
        #expect(a.entry(device: "nope") == nil)
        #expect(try #require(a.entry(device: "a-panic-1")).wireless)
    }

    @Test("contact_id_group and contact_id_zone override the positions")
    func overrides() {
        var config = Self.campus.config
        config.policeLink = SiteConfig.PoliceLink(
            host: "127.0.0.1",
            port: 1,
            account: "1234",
            contactIDGroups: ["dorm-b": 7],
            contactIDZones: ["a-panic-1": 90]
        )
        let a = ContactIDAddressing(config: config)
        #expect(a.entry(device: "b-smoke-1")?.group == 7)
        #expect(a.entry(device: "b-smoke-1")?.groupIsExplicit == true)
        #expect(a.entry(device: "a-panic-1")?.zone == 90)
        #expect(a.entry(device: "a-panic-1")?.zoneIsExplicit == true)
        #expect(a.entry(device: "a-smoke-2")?.zone == 2)
        #expect(a.entry(device: "a-smoke-2")?.zoneIsExplicit == false)
    }

    @Test("a panic press is 1120 in its group and zone; resolving it restores exactly that")
    func panicAndRestore() {
        var m = ContactIDMapping(addressing: ContactIDAddressing(campus: Self.campus))
        #expect(
            m.reports(for: Self.event(.alarmRaised, .panic, ["a-panic-1"], reason: "press")).map(\.text) == [
                "1120 01 003"
            ]
        )
        #expect(m.reports(for: Self.event(.alarmUpdated, .panic, ["a-panic-1"], reason: "pressed_again")).isEmpty)
        #expect(m.reports(for: Self.event(.alarmAcknowledged, .panic, ["a-panic-1"])).isEmpty)
        // Panic latches: the button's release is not a restore, a person's resolve is.
        #expect(m.reports(for: Self.event(.alarmCleared, .panic, ["a-panic-1"])).isEmpty)
        #expect(m.reports(for: Self.event(.alarmResolved, .panic, ["a-panic-1"])).map(\.text) == ["3120 01 003"])
        #expect(m.openAlarms.isEmpty)
    }

    @Test("smoke confirmed as fire reports fire for every detector, and the restore closes all")
    func smokeToFire() {
        var m = ContactIDMapping(addressing: ContactIDAddressing(campus: Self.campus))
        #expect(
            m.reports(for: Self.event(.alarmRaised, .smoke, ["a-smoke-1"], reason: "threshold")).map(\.text) == [
                "1111 01 001"
            ]
        )
        let fire = Self.event(.alarmUpdated, .fire, ["a-smoke-1", "a-smoke-2"], reason: "two_smoke_detectors")
        #expect(m.reports(for: fire).map(\.text) == ["1110 01 001", "1110 01 002"])
        #expect(
            m.reports(for: Self.event(.alarmResolved, .fire, ["a-smoke-1", "a-smoke-2"])).map(\.text)
                == ["3111 01 001", "3110 01 001", "3110 01 002"]
        )
    }

    @Test("gas by its channel; a non-latching fault is restored when it clears, with its raise code")
    func gasAndFaults() {
        var m = ContactIDMapping(addressing: ContactIDAddressing(campus: Self.campus))
        let co = Self.event(
            .alarmRaised,
            .gasLeak,
            ["k-co-1"],
            alarm: "G",
            reason: "threshold",
            values: [EventValue(device: "k-co-1", channel: ChannelID(.co), value: .number(300))]
        )
        #expect(m.reports(for: co).map(\.text) == ["1162 03 002"])
        let lost = Self.event(.faultRaised, .deviceFault, ["k-temp-1"], alarm: "F", reason: "silent")
        #expect(m.reports(for: lost).map(\.text) == ["1381 03 003"])
        // The engine's fault.cleared carries no reason: the memory gives the restore its code.
        #expect(
            m.reports(for: Self.event(.faultCleared, .deviceFault, ["k-temp-1"], alarm: "F")).map(\.text) == [
                "3381 03 003"
            ]
        )
        #expect(m.reports(for: Self.event(.alarmResolved, .deviceFault, ["k-temp-1"], alarm: "F")).isEmpty)
    }

    @Test("a fault of a whole building or bridge is one 350 per group, zone 000")
    func groupFault() {
        var m = ContactIDMapping(addressing: ContactIDAddressing(campus: Self.campus))
        let bridge = Self.event(
            .faultRaised,
            .deviceFault,
            ["a-smoke-1", "a-smoke-2", "b-smoke-1", "a-panic-1"],
            reason: "bridge_offline"
        )
        #expect(m.reports(for: bridge).map(\.text) == ["1350 01 000", "1350 02 000"])
    }

    @Test("tests, drills and maintenance never reach the police")
    func testsNever() {
        var m = ContactIDMapping(addressing: ContactIDAddressing(campus: Self.campus))
        for type in EventType.allCases {
            #expect(m.reports(for: Self.event(type, .panic, ["a-panic-1"], test: true)).isEmpty)
        }
        for type in [EventType.deliveryPlanned, .deliverySent, .deliveryFailed, .alarmEscalated] {
            #expect(m.reports(for: Self.event(type, .fire, ["a-smoke-1"])).isEmpty)
        }
    }

    @Test("a device the config does not know gets its building's group and zone 000")
    func unknownDevice() {
        var m = ContactIDMapping(addressing: ContactIDAddressing(campus: Self.campus))
        #expect(m.reports(for: Self.event(.alarmRaised, .tamper, ["ghost"])).map(\.text) == ["1137 01 000"])
    }
}
