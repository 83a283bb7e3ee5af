import CampusGuardCore
import CampusGuardServer
import CampusGuardStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("API: alarm history and drills")
struct HistoryRoutesTests {
    static func event(_ type: EventType, _ alarm: String, at seconds: Int64, kind: AlarmKind = .overheat) -> Event {
        Event(
            timestamp: ServerFixture.now - .seconds(3600) + .seconds(seconds),
            type: type,
            alarm: alarm,
            kind: kind,
            severity: kind == .deviceFault ? .minor : .major,
            devices: ["dorm-a-301-smoke-1"],
            location: "dorm-a/3/301",
            reason: "threshold"
        )
    }

    @Test("GET alarms with since: alarms and faults raised since then, newest first, with their lifecycle")
    func history() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        var ack = Self.event(.alarmAcknowledged, "H-1", at: 20)
        ack.by = "wang"
        var resolved = Self.event(.alarmResolved, "H-1", at: 90)
        resolved.by = "li"
        resolved.note = "kettle"
        try await f.store.append(events: [
            Self.event(.alarmRaised, "OLD-1", at: 0 - 7200),
            Self.event(.alarmRaised, "H-1", at: 10), ack, Self.event(.alarmCleared, "H-1", at: 60), resolved,
            Self.event(.faultRaised, "F-2", at: 100, kind: .deviceFault),
            Self.event(.faultCleared, "F-2", at: 160, kind: .deviceFault),
        ])
        try await f.server.application().test(.router) { client in
            let since = RFC3339.format(ServerFixture.now - .seconds(3600))
            let r = try await f.send(client, .get, "/api/v1/alarms?since=\(since)", as: .viewer)
            #expect(r.status == .ok, "\(r.body)")
            let alarms = try #require(try object(r.body)["alarms"] as? [[String: Any]])
            // The fixture's open smoke alarm was raised 30 s before now: the newest.
            #expect(alarms.map { $0["id"] as? String } == [ServerFixture.alarm, "F-2", "H-1"])
            let h = alarms[2]
            #expect(h["state"] as? String == "resolved" && h["open"] as? Bool == false)
            #expect(h["acknowledged_by"] as? String == "wang" && h["resolved_by"] as? String == "li")
            #expect(h["note"] as? String == "kettle")
            #expect(h["cleared_at"] as? String == RFC3339.format(ServerFixture.now - .seconds(3540)))
            #expect(alarms[1]["state"] as? String == "cleared" && alarms[1]["open"] as? Bool == false)
            #expect(alarms[0]["open"] as? Bool == true)
            let limited = try await f.send(client, .get, "/api/v1/alarms?since=\(since)&limit=1", as: .viewer)
            #expect((try object(limited.body)["alarms"] as? [Any])?.count == 1)
            let bad = try await f.send(client, .get, "/api/v1/alarms?since=\(since)&limit=1001", as: .viewer)
            #expect(bad.status == .unprocessableContent)
            let badSince = try await f.send(client, .get, "/api/v1/alarms?since=last-week", as: .viewer)
            #expect(badSince.status == .unprocessableContent && badSince.body.contains("bad_query"))
        }
    }

    @Test("the drill log and a drill's report, for admins only; an unknown drill is 404")
    func drills() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        let drill = Drill(
            name: "Dorm A drill",
            buildings: ["dorm-a"],
            includesPanicButtons: false,
            startedAt: ServerFixture.now - .seconds(600)
        )
        let id = try await f.store.recordDrillStart(drill, by: "principal")
        var raised = Self.event(.alarmRaised, "D-1", at: 3100, kind: .smoke)
        raised.test = true
        var ack = raised
        ack.type = .alarmAcknowledged
        ack.timestamp = raised.timestamp + .seconds(42)
        ack.by = "guard"
        try await f.store.append(events: [raised, ack])
        try await f.server.application().test(.router) { client in
            let log = try await f.send(client, .get, "/api/v1/drills", as: .admin)
            #expect(log.status == .ok)
            let drills = try #require(try object(log.body)["drills"] as? [[String: Any]])
            #expect(drills.count == 1 && drills.first?["running"] as? Bool == true)
            #expect(drills.first?["started_by"] as? String == "principal")
            let report = try await f.send(client, .get, "/api/v1/drills/\(id)/report", as: .admin)
            #expect(report.status == .ok)
            let first = try #require((try object(report.body)["drills"] as? [[String: Any]])?.first)
            let alarms = first["alarms"] as? [[String: Any]] ?? []
            #expect(alarms.map { $0["alarm"] as? String } == ["D-1"])
            #expect((alarms.first?["acknowledged"] as? [String: Any])?["after_s"] as? Double == 42)
            for role in [APIRole.viewer, .duty, .maintenance] {
                #expect(try await f.send(client, .get, "/api/v1/drills", as: role).status == .forbidden)
                #expect(try await f.send(client, .get, "/api/v1/drills/\(id)/report", as: role).status == .forbidden)
            }
            for missing in ["99", "x"] {
                let r = try await f.send(client, .get, "/api/v1/drills/\(missing)/report", as: .admin)
                #expect(r.status == .notFound && r.body.contains("unknown_drill"))
            }
        }
    }
}
