import CampusGuardCore
import CampusGuardServer
import CampusGuardStore
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("API: inspection records")
struct InspectionRoutesTests {
    /// A self-test alarm of `device`, `minutes` before the fixture's now.
    static func testAlarm(_ id: String, _ device: String, minutesAgo minutes: Int64) -> Event {
        Event(
            timestamp: ServerFixture.now - .minutes(minutes),
            type: .alarmRaised,
            alarm: id,
            kind: .smoke,
            severity: .major,
            devices: [device],
            location: "dorm-a/3/301",
            test: true,
            reason: "threshold"
        )
    }

    @Test("maintenance records a pass; the device's test alarm of the last two hours is linked as evidence")
    func recordWithEvidence() async throws {
        let f = try await TicketFixture()
        defer { f.remove() }
        try await f.store.append(events: [
            Self.testAlarm("T-A-1", TicketFixture.smoke, minutesAgo: 150),
            Self.testAlarm("T-A-2", TicketFixture.smoke, minutesAgo: 10),
        ])
        try await f.server.application().test(.router) { client in
            let path = "/api/v1/devices/\(TicketFixture.smoke)/inspections"
            let r = try await f.base.send(
                client,
                .post,
                path,
                as: .maintenance,
                json: #"{"result":"pass","note":"蜂鸣正常"}"#
            )
            #expect(r.status == .created, "\(r.body)")
            let record = try #require(TicketFixture.object(r.body)["inspection"] as? [String: Any])
            #expect(record["by"] as? String == "maintenance-person" && record["result"] as? String == "pass")
            let evidence = try #require(record["evidence"] as? [String: Any])
            #expect(evidence["alarm"] as? String == "T-A-2" && evidence["linked"] as? String == "automatic")
            let named = try await f.base.send(
                client,
                .post,
                path,
                as: .admin,
                json: #"{"result":"pass","evidence":"T-A-1"}"#
            )
            #expect(named.body.contains(#""evidence":{"alarm":"T-A-1","#) && named.body.contains(#""linked":"named""#))

            let list = try await f.base.send(client, .get, path, as: .viewer)
            let records = try #require(TicketFixture.object(list.body)["inspections"] as? [[String: Any]])
            #expect(records.map { $0["by"] as? String } == ["admin-person", "maintenance-person"], "newest first")
            let range = try await f.base.send(
                client,
                .get,
                "/api/v1/inspections?since=2026-11-01T00:00:00%2B08:00",
                as: .viewer
            )
            #expect((TicketFixture.object(range.body)["inspections"] as? [Any])?.count == 2, "\(range.body)")
            let none = try await f.base.send(
                client,
                .get,
                "/api/v1/inspections?until=2026-11-01T00:00:00Z",
                as: .viewer
            )
            #expect(none.body == #"{"inspections":[]}"#)
        }
    }

    @Test("a failed inspection with ticket: true opens a hazard ticket for the device")
    func failOpensTicket() async throws {
        let f = try await TicketFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let r = try await f.base.send(
                client,
                .post,
                "/api/v1/devices/\(TicketFixture.gas)/inspections",
                as: .maintenance,
                json: #"{"result":"fail","note":"no alarm at 25% LEL test gas","ticket":true}"#
            )
            #expect(r.status == .created && r.body.contains(#""ticket":"T-2026-0001""#), "\(r.body)")
            let ticket = try #require(try f.store.ticket("T-2026-0001"))
            #expect(ticket.title == "巡检未通过 Inspection failed: 后厨燃气")
            #expect(ticket.building == "canteen" && ticket.device == TicketFixture.gas)
            #expect(ticket.steps.first?.note == "no alarm at 25% LEL test gas")
            let noTicket = try await f.base.send(
                client,
                .post,
                "/api/v1/devices/\(TicketFixture.gas)/inspections",
                as: .maintenance,
                json: #"{"result":"fail"}"#
            )
            #expect(noTicket.body.contains(#""ticket":null"#), "no ticket unless asked for")
        }
    }

    @Test("401 without a token, 403 for viewer and duty recording, 404 unknown device, 422 bad bodies")
    func refusals() async throws {
        let f = try await TicketFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let path = "/api/v1/devices/\(TicketFixture.smoke)/inspections"
            for (method, uri) in [(HTTPRequest.Method.post, path), (.get, path), (.get, "/api/v1/inspections")] {
                let r = try await f.base.send(client, method, uri, as: nil, json: #"{"result":"pass"}"#)
                #expect(r.status == .unauthorized, "\(uri)")
            }
            for role in [APIRole.viewer, .duty] {
                let r = try await f.base.send(client, .post, path, as: role, json: #"{"result":"pass"}"#)
                #expect(r.status == .forbidden, "\(role)")
            }
            for method in [HTTPRequest.Method.get, .post] {
                let r = try await f.base.send(
                    client,
                    method,
                    "/api/v1/devices/nope/inspections",
                    as: .admin,
                    json: #"{"result":"pass"}"#
                )
                #expect(r.status == .notFound && r.body.contains(#""error":"unknown_device""#), "\(method)")
            }
            for (json, field) in [
                (#"{"result":"ok"}"#, "result"), (#"{}"#, "result"), (#"{"result":"pass","ticket":true}"#, "ticket"),
                (#"{"result":"pass","evidence":"20261120T141000Z-7"}"#, "evidence"),
            ] {
                let r = try await f.base.send(client, .post, path, as: .maintenance, json: json)
                #expect(r.status == .unprocessableContent && r.body.contains(field), "\(json): \(r.body)")
            }
            let since = try await f.base.send(client, .get, "/api/v1/inspections?since=yesterday", as: .viewer)
            #expect(since.status == .unprocessableContent && since.body.contains("since"))
            let limit = try await f.base.send(client, .get, path + "?limit=0", as: .viewer)
            #expect(limit.status == .unprocessableContent)
        }
        #expect(try f.store.inspections(since: nil, until: nil).isEmpty)
    }
}
