import CampusGuardCLI
import CampusGuardConfig
import CampusGuardCore
import CampusGuardTestKit
import Foundation
import Testing

@Suite("replay: recorded input through the engine on a simulated clock")
struct ReplayTests {
    static let root = Repository.root
    static let example = root + "/Config/campusguard.example.yaml"
    static let demo = root + "/Config/demo-incident.jsonl"

    final class Output {
        var events: [Event] = []
        var problems: [(Int, String)] = []
    }

    func replay(_ lines: [String], until: String? = nil) throws -> Output {
        let loaded = try ConfigLoader.load(file: Self.example)
        let out = Output()
        var replay = Replay(
            campus: loaded.campus,
            emitEvent: { out.events.append($0) },
            reportProblem: { out.problems.append(($0, $1)) }
        )
        for (i, line) in lines.enumerated() { replay.feed(line: line, number: i + 1) }
        replay.finish(until: until.flatMap(RFC3339.parse))
        return out
    }

    @Test("the demo incident replays to the expected story")
    func demoIncident() throws {
        let lines = try String(contentsOfFile: Self.demo, encoding: .utf8).split(separator: "\n").map(String.init)
        let out = try replay(lines, until: "2026-11-20T23:00:00+08:00")
        let story = out.events.map { "\($0.type.rawValue) \($0.kind.rawValue)\($0.test ? " test" : "")" }
        #expect(
            story == [
                "alarm.raised smoke", "alarm.acknowledged smoke", "alarm.cleared smoke", "alarm.resolved smoke",
                "alarm.raised smoke", "alarm.updated fire", "alarm.acknowledged fire", "alarm.updated fire",
                "alarm.raised electrical_fire_risk", "alarm.cleared electrical_fire_risk",
                "alarm.raised gas_leak", "alarm.updated gas_leak", "alarm.acknowledged gas_leak",
                "alarm.cleared gas_leak", "alarm.resolved gas_leak",
                "alarm.raised panic", "alarm.acknowledged panic", "alarm.resolved panic",
                "alarm.raised smoke test", "alarm.cleared smoke test", "alarm.updated fire test",
                "alarm.raised smoke", "alarm.updated fire",
                "fault.raised device_fault", "fault.cleared device_fault",
            ]
        )
        let fire = try #require(out.events.first { $0.kind == .fire })
        #expect(fire.reason == "two_smoke_detectors")
        #expect(fire.location == "dorm-a/3/301")
        let unacknowledged = try #require(out.events.last { $0.kind == .fire && !$0.test })
        #expect(unacknowledged.reason == "not_acknowledged")
        #expect(RFC3339.format(unacknowledged.timestamp) == "2026-11-20T14:53:00Z", "exactly 60 s after 22:52 +08:00")
        #expect(out.problems.count == 1)
        #expect(out.problems.first?.1.hasPrefix("wrong_type") == true)
    }

    @Test("timers fire at their own instants, before a later line, and --until runs the clock on")
    func timersInOrder() throws {
        let out = try replay(
            [
                #"{"ts":"2026-11-20T22:00:00+08:00","topic":"zigbee2mqtt/canteen-hall-smoke-1","payload":{"smoke":true}}"#,
                #"{"ts":"2026-11-20T22:05:00+08:00","device":"dorm-a-301-temp-1","channel":"temperature","value":22}"#,
            ],
            until: "2026-11-20T22:10:00+08:00"
        )
        let alarms = out.events.filter { $0.kind != .deviceFault }
        #expect(alarms.map(\.type) == [.alarmRaised, .alarmUpdated])
        #expect(alarms.map { RFC3339.format($0.timestamp) } == ["2026-11-20T14:00:00Z", "2026-11-20T14:01:00Z"])
        // The Modbus devices never reported: their faults come at 95 s, before the line at 5 minutes.
        let faults = out.events.filter { $0.kind == .deviceFault }
        #expect(faults.count == 3)
        #expect(faults.allSatisfy { RFC3339.format($0.timestamp) == "2026-11-20T14:01:35Z" })
        #expect(out.problems.isEmpty)
    }

    @Test("Modbus devices never heard from become faults within 100 s when the clock runs on")
    func supervisionThroughUntil() throws {
        let out = try replay(
            [#"{"ts":"2026-11-20T22:00:00Z","device":"dorm-a-301-temp-1","channel":"temperature","value":22}"#],
            until: "2026-11-20T22:02:00Z"
        )
        let faults = out.events.filter { $0.type == .faultRaised }
        #expect(Set(faults.flatMap(\.devices)) == ["power-rcm-1", "kitchen-gas-meter-1", "lab-201-env-1"])
        #expect(faults.allSatisfy { $0.timestamp <= RFC3339.parse("2026-11-20T22:01:40Z")! })
    }

    @Test("bad lines are reported with their number and skipped; good lines go on")
    func badLines() throws {
        let out = try replay([
            "not json",
            #"{"topic":"x","payload":{}}"#,
            #"{"ts":"yesterday","device":"a","channel":"smoke","value":true}"#,
            #"{"ts":"2026-11-20T22:00:00Z","device":"ghost","channel":"smoke","value":true}"#,
            #"{"ts":"2026-11-20T22:00:00Z","device":"gate-panic-1","channel":"loudness","value":1}"#,
            #"{"ts":"2026-11-20T22:00:00Z","command":"acknowledge","alarm":"nope"}"#,
            #"{"ts":"2026-11-20T22:00:00Z","command":"launch"}"#,
            "",
            #"{"ts":"2026-11-20T22:00:01Z","device":"gate-panic-1","channel":"button","value":"single"}"#,
            #"{"ts":"2026-11-20T21:00:00Z","topic":"nobody/listens","payload":{"a":1}}"#,
        ])
        #expect(out.problems.map(\.0) == [1, 2, 3, 4, 5, 6, 7, 10, 10])
        #expect(out.problems[3].1 == "unknown device \"ghost\"")
        #expect(out.problems[8].1.hasPrefix("unknown_topic"))
        #expect(out.events.map(\.kind) == [.panic])
    }

    @Test("commands replay what people did: maintenance marks tests, drills, acknowledging by device")
    func commands() throws {
        let out = try replay([
            #"{"ts":"2026-11-20T22:00:00Z","command":"maintenance_start","device":"dorm-a-302-smoke-1","until":"2026-11-20T23:00:00Z"}"#,
            #"{"ts":"2026-11-20T22:00:01Z","topic":"zigbee2mqtt/dorm-a-302-smoke-1","payload":{"smoke":true}}"#,
            #"{"ts":"2026-11-20T22:00:02Z","command":"maintenance_start","device":"gate-panic-1","until":"2026-11-20T23:00:00Z"}"#,
            #"{"ts":"2026-11-20T22:00:03Z","command":"drill_start","buildings":["dorm-b"]}"#,
            #"{"ts":"2026-11-20T22:00:04Z","topic":"zigbee2mqtt/dorm-b-201-smoke-1","payload":{"smoke":true}}"#,
            #"{"ts":"2026-11-20T22:00:05Z","command":"acknowledge","device":"dorm-b-201-smoke-1","by":"drill lead"}"#,
        ])
        #expect(out.events.map(\.test) == [true, true, true])
        #expect(out.events.last?.by == "drill lead")
        #expect(out.problems.map(\.0) == [3])
        #expect(out.problems.first?.1.contains("panic button") == true)
    }
}
