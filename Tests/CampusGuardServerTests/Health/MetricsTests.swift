import CampusGuardCore
import CampusGuardServer
import Testing

@Suite("metrics: counters, gauges and the Prometheus text")
struct MetricsTests {
    @Test("readings, alarms and deliveries are counted with their labels; every line is a sample or a comment")
    func counters() {
        let m = GatewayMetrics(channels: ["duty-webhook", "police"])
        m.countReadings(3, from: .mqtt)
        m.countReadings(2, from: .modbus)
        m.countReadings(0, from: .mqtt)
        m.observe([
            .at(0, .alarmRaised, alarm: "A-1"),
            .at(4, .deliverySent, alarm: "A-1", channel: "duty-webhook"),
            .at(9, .deliveryFailed, alarm: "A-1", channel: "police"),
            .at(5, .alarmRaised, alarm: "A-2", kind: .smoke),
        ])
        let text = m.render(.healthy)
        let s = samples(text)
        #expect(s[#"campusguard_readings_total{protocol="mqtt"}"#] == 3)
        #expect(s[#"campusguard_readings_total{protocol="modbus"}"#] == 2)
        #expect(s[#"campusguard_alarms_total{kind="panic",severity="critical",test="false"}"#] == 1)
        #expect(s[#"campusguard_alarms_total{kind="smoke",severity="major",test="false"}"#] == 1)
        #expect(s[#"campusguard_alarms_total{kind="fire",severity="critical",test="false"}"#] == 0)
        #expect(s[#"campusguard_deliveries_total{channel="duty-webhook",outcome="sent"}"#] == 1)
        #expect(s[#"campusguard_deliveries_total{channel="police",outcome="failed"}"#] == 1)
        #expect(s[#"campusguard_deliveries_total{channel="police",outcome="sent"}"#] == 0)
        for line in text.split(separator: "\n") {
            let ok =
                line.hasPrefix("# HELP campusguard_") || line.hasPrefix("# TYPE campusguard_")
                || line.wholeMatch(of: /campusguard_[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+/) != nil
            #expect(ok, "\(line)")
        }
    }

    @Test("a smoke alarm confirmed as fire counts once as smoke and once as fire")
    func kindChange() {
        let m = GatewayMetrics(channels: [])
        var updated = Event.at(20, .alarmUpdated, alarm: "A-1", kind: .fire)
        updated.severity = .critical
        updated.previousKind = .smoke
        var escalated = Event.at(30, .alarmUpdated, alarm: "A-1", kind: .fire)
        escalated.severity = .critical
        m.observe([.at(0, .alarmRaised, alarm: "A-1", kind: .smoke), updated, escalated])
        let s = samples(m.render(.healthy))
        #expect(s[#"campusguard_alarms_total{kind="smoke",severity="major",test="false"}"#] == 1)
        #expect(s[#"campusguard_alarms_total{kind="fire",severity="critical",test="false"}"#] == 1)
    }

    @Test(
        "latency runs from the raise to the first delivery sent per channel; repeats and unknown alarms are not timed"
    )
    func latency() {
        let m = GatewayMetrics(channels: ["duty-webhook", "police"])
        m.observe([
            .at(0, .alarmRaised, alarm: "A-1"),
            .at(3, .deliverySent, alarm: "A-1", channel: "duty-webhook"),
            .at(70_000, .deliverySent, alarm: "A-1", channel: "duty-webhook"),
            .at(1_500, .deliverySent, alarm: "A-1", channel: "police"),
            // Raised before a restart: the raise is not known here.
            .at(10, .deliverySent, alarm: "OLD-1", channel: "duty-webhook"),
            // Resolved before its first delivery: its closing notice is not a raise's delivery.
            .at(20, .alarmRaised, alarm: "A-3"),
            .at(25, .alarmResolved, alarm: "A-3"),
            .at(30, .deliverySent, alarm: "A-3", channel: "duty-webhook"),
        ])
        let s = samples(m.render(.healthy))
        let web = #"campusguard_alarm_delivery_seconds"#
        #expect(s[web + #"_count{channel="duty-webhook"}"#] == 1)
        #expect(s[web + #"_bucket{channel="duty-webhook",le="0.0025"}"#] == 0)
        #expect(s[web + #"_bucket{channel="duty-webhook",le="0.005"}"#] == 1)
        #expect(s[web + #"_sum{channel="duty-webhook"}"#] == 0.003)
        #expect(s[web + #"_count{channel="police"}"#] == 1)
        #expect(s[web + #"_bucket{channel="police",le="1.0"}"#] == 0)
        #expect(s[web + #"_bucket{channel="police",le="2.5"}"#] == 1)
        #expect(s[#"campusguard_deliveries_total{channel="duty-webhook",outcome="sent"}"#] == 4)
    }

    @Test("a channel not in the config still gets its counter (no crash, no loss)")
    func unknownChannel() {
        let m = GatewayMetrics(channels: [])
        m.observe([.at(0, .alarmRaised, alarm: "A-1"), .at(2, .deliverySent, alarm: "A-1", channel: "new-robot")])
        let s = samples(m.render(.healthy))
        #expect(s[#"campusguard_deliveries_total{channel="new-robot",outcome="sent"}"#] == 1)
        #expect(s[#"campusguard_alarm_delivery_seconds_count{channel="new-robot"}"#] == 1)
    }

    @Test("gauges come from the snapshot; values not known now are left out, not shown stale")
    func gauges() {
        let m = GatewayMetrics(channels: [])
        let devices = [DeviceStatus.ok, .ok, .offline, .alarm].enumerated().map { i, status in
            DeviceSnapshot(
                id: "d\(i)",
                status: status,
                values: [:],
                lastSeen: nil,
                offlineSince: nil,
                offlineReason: nil,
                maintenanceUntil: nil,
                openAlarms: []
            )
        }
        var snapshot = GatewaySnapshot.healthy
        snapshot.board = EngineBoard(
            at: Instant(millisecondsSinceEpoch: 0),
            devices: devices,
            openAlarms: [],
            drill: nil
        )
        snapshot.outboxPending = 7
        snapshot.uplink = .init(id: "uplink", up: false)
        snapshot.uplinkBacklog = .init(events: 2, readings: 900)
        snapshot.brokers = [.init(id: "local", up: true), .init(id: "lab", up: false, reason: "refused")]
        var s = samples(m.render(snapshot))
        #expect(s[#"campusguard_devices{status="ok"}"#] == 2)
        #expect(s[#"campusguard_devices{status="offline"}"#] == 1)
        #expect(s[#"campusguard_devices{status="maintenance"}"#] == 0)
        #expect(s[#"campusguard_open_alarms{severity="critical"}"#] == 0)
        #expect(s["campusguard_outbox_pending"] == 7)
        #expect(s[#"campusguard_uplink_backlog{stream="readings"}"#] == 900)
        #expect(s["campusguard_uplink_connected"] == 0)
        #expect(s[#"campusguard_mqtt_connected{broker="lab"}"#] == 0)
        #expect(s[#"campusguard_mqtt_connected{broker="local"}"#] == 1)
        #expect(s[#"campusguard_modbus_bus_up{bus="power-room"}"#] == 1)
        #expect(s["campusguard_police_link_up"] == 1)
        #expect(s["campusguard_store_up"] == 1)
        #expect(s["campusguard_store_size_bytes"] == 4096)
        #expect(s["campusguard_engine_loop_age_seconds"] == 0.3)

        snapshot.storeProblem = "disk_full: writing readings"
        snapshot.outboxPending = nil
        snapshot.uplinkBacklog = nil
        snapshot.policeLink = .init(id: "police_link", up: nil)
        s = samples(m.render(snapshot))
        #expect(s["campusguard_store_up"] == 0)
        #expect(s["campusguard_outbox_pending"] == nil)
        #expect(s[#"campusguard_uplink_backlog{stream="readings"}"#] == nil)
        #expect(s["campusguard_police_link_up"] == nil, "not tested yet: neither up nor down")
    }

    @Test("input error totals become counters that only move forward, also when a part starts again from zero")
    func inputErrors() {
        let m = GatewayMetrics(channels: [])
        var snapshot = GatewaySnapshot.healthy
        let key = #"campusguard_decode_errors_total{protocol="mqtt",kind="not_json"}"#
        snapshot.inputErrors = [.init(source: "mqtt", kind: "not_json", total: 2)]
        #expect(samples(m.render(snapshot))[key] == 2)
        snapshot.inputErrors = [.init(source: "mqtt", kind: "not_json", total: 5)]
        #expect(samples(m.render(snapshot))[key] == 5)
        #expect(samples(m.render(snapshot))[key] == 5, "a scrape without news adds nothing")
        snapshot.inputErrors = [.init(source: "mqtt", kind: "not_json", total: 1)]
        #expect(samples(m.render(snapshot))[key] == 6)
    }
}
