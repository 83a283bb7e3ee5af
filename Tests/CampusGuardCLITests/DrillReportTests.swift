import CampusGuardCore
import CampusGuardTestKit
import Foundation
import Testing

@testable import CampusGuardCLI
@testable import CampusGuardStore

/// A drill of Dormitory A from `DrillFixture.start` to +600 s, and a store holding its alarms
/// and the alarms it must leave out.
struct DrillFixture {
    static let start = Instant(secondsSinceEpoch: 1_795_000_000)  // 2026-11-18T11:06:40Z

    let dir = TemporaryDirectory("drill-report")
    let store: Store
    let drillID: Int64

    static func at(_ seconds: Double) -> Instant { start + Interval(milliseconds: Int64(seconds * 1000)) }

    static func event(
        _ type: EventType,
        _ alarm: String,
        at seconds: Double,
        kind: AlarmKind = .smoke,
        location: String = "dorm-a/3/301",
        test: Bool = true
    ) -> Event {
        Event(
            timestamp: at(seconds),
            type: type,
            alarm: alarm,
            kind: kind,
            severity: kind.defaultSeverity,
            devices: ["\(alarm)-dev"],
            location: location,
            test: test
        )
    }

    static func sent(_ alarm: String, at seconds: Double, tier: Int?, channel: String) -> Event {
        var e = event(.deliverySent, alarm, at: seconds)
        e.tier = tier
        e.channel = channel
        e.delivery = "\(alarm)/\(tier ?? 0)/\(channel)/1"
        return e
    }

    static func person(_ type: EventType, _ alarm: String, at seconds: Double, by: String) -> Event {
        var e = event(type, alarm, at: seconds)
        e.by = by
        return e
    }

    static var events: [Event] {
        var escalated = event(.alarmEscalated, "A-1", at: 130)
        escalated.tier = 2
        var fire = event(.alarmUpdated, "A-1", at: 100, kind: .fire)
        fire.previousKind = .smoke
        var failed = event(.deliveryFailed, "A-3", at: 300.2)
        failed.tier = 1
        failed.channel = "duty-webhook"
        return [
            // Left out: raised before the drill, a real alarm, another building, a live panic button.
            event(.alarmRaised, "X-before", at: -10),
            person(.alarmAcknowledged, "X-before", at: 5, by: "王老师"),
            event(.alarmRaised, "X-real", at: 50, test: false),
            person(.alarmAcknowledged, "X-real", at: 55, by: "王老师"),
            event(.alarmRaised, "X-dorm-b", at: 60, location: "dorm-b/1/101"),
            event(.alarmRaised, "X-panic", at: 70, kind: .panic, location: "dorm-a/1/gate"),
            // smoke, tier 1 at once, confirmed as fire, tier 2 after 2 min, acknowledged at 140 s.
            event(.alarmRaised, "A-1", at: 10),
            sent("A-1", at: 10.052, tier: 1, channel: "duty-webhook"),
            sent("A-1", at: 40, tier: 1, channel: "duty-dingtalk"),
            fire, escalated,
            sent("A-1", at: 130.1, tier: 2, channel: "duty-dingtalk"),
            person(.alarmAcknowledged, "A-1", at: 150, by: "王老师"),
            person(.alarmAcknowledged, "A-1", at: 160, by: "李老师"),
            person(.alarmResolved, "A-1", at: 400, by: "李老师"),
            // gas, acknowledged in 30 s.
            event(.alarmRaised, "A-2", at: 200, kind: .gasLeak, location: "dorm-a/1/kitchen"),
            sent("A-2", at: 200.01, tier: 1, channel: "duty-webhook"),
            person(.alarmAcknowledged, "A-2", at: 230, by: "李老师"),
            // nobody answered; its tier 1 delivery failed.
            event(.alarmRaised, "A-3", at: 300), failed,
            // acknowledged at exactly 60 s, after the drill stopped.
            event(.alarmRaised, "A-4", at: 590),
            sent("A-4", at: 590.02, tier: 1, channel: "duty-webhook"),
            person(.alarmAcknowledged, "A-4", at: 650, by: "王老师"),
            // Left out: raised after the drill stopped.
            event(.alarmRaised, "X-after", at: 700),
        ]
    }

    init() async throws {
        store = try Store(path: dir.storePath)
        try await store.append(events: Self.events)
        drillID = try await store.recordDrillStart(
            Drill(name: "宿舍A 夜间疏散演练", buildings: ["dorm-a"], startedAt: Self.start),
            by: "principal"
        )
        try await store.recordDrillStop(at: Self.at(600), by: "principal")
    }

    func report() throws -> DrillReport {
        try DrillReport(store: store, drills: store.drills(), now: Self.at(3600))
    }
}

@Suite("drill report: worked out from the store")
struct DrillReportTests {
    @Test("only test alarms raised in the drill's window and buildings count; live panic buttons do not")
    func window() async throws {
        let f = try await DrillFixture()
        let report = try f.report()
        let drill = try #require(report.drills.first)
        #expect(drill.drill.name == "宿舍A 夜间疏散演练")
        #expect(drill.alarms.map(\.alarm) == ["A-1", "A-2", "A-3", "A-4"])
    }

    @Test("each tier's first delivery, the first acknowledgement and the resolution, timed from the alarm")
    func timings() async throws {
        let f = try await DrillFixture()
        let alarms = try #require(try f.report().drills.first).alarms
        let first = alarms[0]
        #expect(first.raisedKind == .smoke && first.kind == .fire)
        #expect(
            first.tiers == [
                .init(tier: 1, sent: DrillFixture.at(10.052), channel: "duty-webhook", after: .init(milliseconds: 52)),
                .init(
                    tier: 2,
                    sent: DrillFixture.at(130.1),
                    channel: "duty-dingtalk",
                    after: .init(milliseconds: 120_100)
                ),
            ]
        )
        #expect(first.acknowledged == .init(by: "王老师", at: DrillFixture.at(150), after: .seconds(140)))
        #expect(first.resolved == .init(by: "李老师", at: DrillFixture.at(400), after: .seconds(390)))
        #expect(alarms[2].acknowledged == nil)
        #expect(alarms[2].tiers == [.init(tier: 1)], "tried, never delivered")
        #expect(alarms[3].acknowledged?.after == .seconds(60), "an acknowledgement after the stop still counts")
    }

    @Test("the summary: within 60 s, later, never; median, slowest and per person")
    func summary() async throws {
        let f = try await DrillFixture()
        let s = try #require(try f.report().drills.first).summary
        #expect(s.alarms == 4)
        #expect(s.acknowledgedPromptly == 2, "30 s and exactly 60 s")
        #expect(s.acknowledgedLater == 1)
        #expect(s.neverAcknowledged == 1)
        #expect(s.medianToAcknowledge == .seconds(60))
        #expect(s.slowestToAcknowledge == .seconds(140))
        #expect(s.slowestAlarm == "A-1")
        #expect(
            s.people == [
                .init(person: "王老师", acknowledgements: 2, median: .seconds(100), slowest: .seconds(140)),
                .init(person: "李老师", acknowledgements: 1, median: .seconds(30), slowest: .seconds(30)),
            ]
        )
    }

    @Test("a drill still running reaches up to now; a drill with no alarms has an empty summary")
    func running() async throws {
        let dir = TemporaryDirectory("drill-running")
        let store = try Store(path: dir.storePath)
        try await store.recordDrillStart(Drill(name: "empty", startedAt: DrillFixture.at(0)), by: nil)
        try await store.recordDrillStop(at: DrillFixture.at(10), by: nil)
        try await store.recordDrillStart(Drill(name: "running", startedAt: DrillFixture.at(100)), by: nil)
        try await store.append(events: [DrillFixture.event(.alarmRaised, "R-1", at: 150)])
        let report = try DrillReport(store: store, drills: store.drills(), now: DrillFixture.at(200))
        #expect(report.drills.map(\.alarms.count) == [0, 1])
        #expect(report.drills[1].end == DrillFixture.at(200))
        #expect(report.drills[0].summary.medianToAcknowledge == nil)
        #expect(report.overall.alarms == 1 && report.overall.neverAcknowledged == 1)
    }

    @Test("durations read plainly; seconds keep milliseconds without trailing zeros")
    func durations() {
        #expect(DrillReport.duration(.init(milliseconds: 52)) == "0.052 s")
        #expect(DrillReport.duration(.seconds(42)) == "42 s")
        #expect(DrillReport.duration(.seconds(125)) == "2 min 5 s")
        #expect(DrillReport.duration(.seconds(3780)) == "1 h 3 min")
        #expect(DrillReport.seconds(.init(milliseconds: 120_100)) == "120.1")
        #expect(DrillReport.seconds(.seconds(60)) == "60")
    }
}
