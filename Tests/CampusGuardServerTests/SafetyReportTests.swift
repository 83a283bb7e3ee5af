import CampusGuardCore
import CampusGuardServer
import Testing

@Suite("safety report: response times, faults and offline time from events")
struct SafetyReportTests {
    typealias E = ReportEvents

    /// A smoke alarm confirmed as fire, delivered, acknowledged and resolved; an alarm never
    /// acknowledged; a test alarm; an alarm raised before the period.
    static var alarmEvents: [Event] {
        [
            E.event(.alarmRaised, "old-1", at: -100),
            E.event(.alarmAcknowledged, "old-1", at: 10, by: "early"),
            E.event(.alarmRaised, "A-1", at: 100),
            E.event(.deliverySent, "A-1", at: 100, channel: "duty-webhook"),
            E.event(.deliverySent, "A-1", at: 160, channel: "duty-dingtalk"),
            E.event(.alarmUpdated, "A-1", at: 130, kind: .fire, devices: ["dev-1", "dev-2"]),
            E.event(.alarmAcknowledged, "A-1", at: 140, kind: .fire, by: "王老师"),
            E.event(.alarmAcknowledged, "A-1", at: 150, kind: .fire, by: "second"),
            E.event(.alarmResolved, "A-1", at: 400, kind: .fire, by: "李老师"),
            E.event(.alarmRaised, "A-2", at: 200, kind: .gasLeak),
            E.event(.alarmRaised, "A-3", at: 300, kind: .smoke),
            E.event(.alarmAcknowledged, "A-3", at: 310, by: "guard"),
            E.event(.alarmRaised, "T-1", at: 250, test: true),
            E.event(.alarmAcknowledged, "T-1", at: 255, test: true, by: "drill"),
            E.event(.alarmRaised, "late", at: 1000),
        ]
    }

    @Test("each alarm raised in the period with its first notice, acknowledgement, resolution and final kind")
    func responseTimes() throws {
        let r = SafetyReport(events: Self.alarmEvents, since: E.at(0), until: E.at(1000))
        #expect(r.alarms.map(\.alarm) == ["A-1", "A-2", "T-1", "A-3"], "in the period only, oldest first")
        let a = try #require(r.alarms.first)
        #expect(a.raisedKind == .smoke)
        #expect(a.kind == .fire)
        #expect(a.severity == .critical)
        #expect(a.devices == ["dev-1", "dev-2"])
        #expect(a.firstNotice?.at == E.at(100))
        #expect(a.firstNotice?.channel == "duty-webhook")
        #expect(a.firstNotice?.after == .zero)
        #expect(a.acknowledged?.by == "王老师", "the first acknowledgement counts")
        #expect(a.acknowledged?.after == .seconds(40))
        #expect(a.resolved?.by == "李老师")
        #expect(a.resolved?.after == .seconds(300))
        let never = try #require(r.alarms.first { $0.alarm == "A-2" })
        #expect(never.firstNotice == nil)
        #expect(never.acknowledged == nil)
        #expect(never.resolved == nil)
    }

    @Test("the summary counts real alarms by final kind with median and worst time to acknowledge; tests apart")
    func summary() {
        let r = SafetyReport(events: Self.alarmEvents, since: E.at(0), until: E.at(1000))
        #expect(r.summary.alarms == 3)
        #expect(
            r.summary.byKind == [
                .init(kind: .fire, count: 1), .init(kind: .gasLeak, count: 1), .init(kind: .smoke, count: 1),
            ]
        )
        #expect(r.summary.acknowledged == 2)
        #expect(r.summary.neverAcknowledged == 1)
        #expect(r.summary.medianToAcknowledge == .seconds(25), "(40 + 10) / 2")
        #expect(r.summary.worstToAcknowledge == .seconds(40))
        #expect(r.summary.worstAlarm == "A-1")
        #expect(r.testSummary.alarms == 1)
        #expect(r.testSummary.medianToAcknowledge == .seconds(5))
    }

    @Test("no alarm: an empty summary without times")
    func empty() {
        let r = SafetyReport(events: [], since: E.at(0), until: E.at(10))
        #expect(r.alarms.isEmpty)
        #expect(r.summary.alarms == 0)
        #expect(r.summary.medianToAcknowledge == nil)
        #expect(r.summary.worstAlarm == nil)
        #expect(r.faults.isEmpty)
        #expect(r.offline.isEmpty)
    }

    @Test("faults open in the period with how long they lasted; one still open lasts until `until`")
    func faults() {
        let events =
            E.offline("F-before", ["dev-1"], from: -50, to: -10)
            + E.offline("F-1", ["dev-1"], from: -20, to: 30)
            + E.offline("F-2", ["dev-2"], from: 100, to: nil, reason: "unavailable")
            + [E.event(.faultRaised, "F-3", at: 200, kind: .lowBattery, devices: ["dev-3"], reason: "threshold")]
            + E.offline("F-after", ["dev-4"], from: 1000, to: 1100)
        let r = SafetyReport(events: events, since: E.at(0), until: E.at(1000))
        #expect(r.faults.map(\.alarm) == ["F-1", "F-2", "F-3"])
        #expect(r.faults[0].lasted == .seconds(50), "the whole fault, not clipped")
        #expect(r.faults[0].cleared == E.at(30))
        #expect(r.faults[1].cleared == nil)
        #expect(r.faults[1].lasted == .seconds(900))
        #expect(r.faults[2].kind == .lowBattery)
    }

    @Test("offline time is clipped to the period, overlapping faults count once, open ones until `until`")
    func offline() throws {
        let events =
            E.offline("F-1", ["dev-1"], from: -20, to: 30)  // 30 s inside
            + E.offline("F-2", ["dev-1", "dev-2"], from: 20, to: 60, reason: "bridge_offline")  // dev-1: 30..60 new
            + E.offline("F-3", ["dev-1"], from: 100, to: 110, reason: "comms_lost")  // 10 s more
            + E.offline("F-4", ["dev-3"], from: 900, to: nil, reason: "bus_offline")  // until 1000
            + E.offline("F-5", ["dev-4"], from: 950, to: 1200, reason: "unavailable")  // clipped at 1000
            + [E.event(.faultRaised, "F-6", at: 10, kind: .lowBattery, devices: ["dev-5"], reason: "threshold")]
        let r = SafetyReport(events: events, since: E.at(0), until: E.at(1000))
        let byDevice = Dictionary(uniqueKeysWithValues: r.offline.map { ($0.device, $0) })
        #expect(byDevice["dev-1"]?.offline == .seconds(70), "0..60 and 100..110")
        #expect(byDevice["dev-1"]?.faults == 3)
        #expect(byDevice["dev-1"]?.stillOffline == false)
        #expect(byDevice["dev-2"]?.offline == .seconds(40))
        #expect(byDevice["dev-3"]?.offline == .seconds(100))
        #expect(byDevice["dev-3"]?.stillOffline == true)
        #expect(byDevice["dev-4"]?.offline == .seconds(50))
        #expect(byDevice["dev-4"]?.stillOffline == true, "back only after the period")
        #expect(byDevice["dev-5"] == nil, "a low battery is not offline time")
        #expect(r.offline.first?.device == "dev-3", "most offline first")
    }

    @Test("a building fault's offline time covers every device its events named")
    func buildingFault() {
        var events = E.offline("B-1", ["dev-1", "dev-2"], from: 10, to: nil, reason: "building_offline")
        events.append(
            E.event(.faultCleared, "B-1", at: 70, kind: .deviceFault, devices: ["dev-3"], location: "dorm-a")
        )
        let r = SafetyReport(events: events, since: E.at(0), until: E.at(100))
        #expect(Set(r.offline.map(\.device)) == ["dev-1", "dev-2", "dev-3"])
        #expect(r.offline.allSatisfy { $0.offline == .seconds(60) })
    }

    @Test("open tickets are listed oldest first")
    func tickets() {
        let tickets = [
            SafetyReport.OpenTicket(
                id: "T2",
                building: "dorm-a",
                title: "exit blocked",
                state: "found",
                opened: E.at(50)
            ),
            SafetyReport.OpenTicket(
                id: "T1",
                building: "dorm-b",
                title: "gas hose",
                state: "assigned",
                opened: E.at(5)
            ),
        ]
        let r = SafetyReport(events: [], since: E.at(0), until: E.at(100), tickets: tickets)
        #expect(r.tickets.map(\.id) == ["T1", "T2"])
    }
}
