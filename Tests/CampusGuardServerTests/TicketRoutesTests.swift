import CampusGuardCore
import CampusGuardServer
import CampusGuardStore
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("API: hazard tickets")
struct TicketRoutesTests {
    @Test("maintenance opens a ticket and takes it around the loop; a viewer reads it with its steps")
    func loop() async throws {
        let f = try await TicketFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let created = try await f.base.send(
                client,
                .post,
                "/api/v1/tickets",
                as: .maintenance,
                json:
                    #"{"title":"安全出口堵塞 Blocked exit","device":"dorm-a-301-smoke-1","note":"boxes","photos":["https://pics.lan/1.jpg"]}"#
            )
            #expect(created.status == .created, "\(created.body)")
            let ticket = try #require(TicketFixture.object(created.body)["ticket"] as? [String: Any])
            #expect(ticket["id"] as? String == "T-2026-0001")
            #expect(ticket["building"] as? String == "dorm-a" && ticket["location"] as? String == "dorm-a/3/301")
            #expect(ticket["status"] as? String == "found" && ticket["created_by"] as? String == "maintenance-person")
            for (role, json) in [
                (APIRole.maintenance, #"{"step":"assigned","assignee":"李师傅"}"#),
                (.maintenance, #"{"step":"rectified","note":"boxes moved","photos":["http://pics.lan/2.jpg"]}"#),
                (.admin, #"{"step":"verified"}"#), (.admin, #"{"step":"closed","note":"销号"}"#),
            ] {
                let r = try await f.base.send(client, .post, "/api/v1/tickets/T-2026-0001/steps", as: role, json: json)
                #expect(r.status == .ok, "\(json): \(r.body)")
            }
            let read = try await f.base.send(client, .get, "/api/v1/tickets/T-2026-0001", as: .viewer)
            #expect(read.status == .ok)
            let closed = try #require(TicketFixture.object(read.body)["ticket"] as? [String: Any])
            #expect(closed["status"] as? String == "closed" && closed["assignee"] as? String == "李师傅")
            let steps = try #require(closed["steps"] as? [[String: Any]])
            #expect(steps.map { $0["step"] as? String } == ["found", "assigned", "rectified", "verified", "closed"])
            #expect(
                steps.map { $0["by"] as? String } == [
                    "maintenance-person", "maintenance-person", "maintenance-person", "admin-person", "admin-person",
                ]
            )
            #expect(steps[2]["photos"] as? [String] == ["http://pics.lan/2.jpg"])
            let open = try await f.base.send(client, .get, "/api/v1/tickets", as: .viewer)
            #expect(open.body == #"{"tickets":[]}"#)
            let all = try await f.base.send(client, .get, "/api/v1/tickets?status=closed&building=dorm-a", as: .viewer)
            #expect(all.body.contains(#""id":"T-2026-0001""#))
        }
    }

    @Test("open tickets list oldest first with their age in seconds, by building")
    func openList() async throws {
        let f = try await TicketFixture()
        defer { f.remove() }
        _ = try await f.store.createTicket(
            NewTicket(title: "new", building: "dorm-a", by: "w"),
            at: ServerFixture.now - .seconds(60)
        )
        _ = try await f.store.createTicket(
            NewTicket(title: "old", building: "canteen", by: "w"),
            at: ServerFixture.now - .hours(2)
        )
        try await f.server.application().test(.router) { client in
            let r = try await f.base.send(client, .get, "/api/v1/tickets?status=open", as: .viewer)
            let tickets = try #require(TicketFixture.object(r.body)["tickets"] as? [[String: Any]])
            #expect(tickets.map { $0["title"] as? String } == ["old", "new"])
            #expect(tickets.map { $0["age_seconds"] as? Int } == [7200, 60])
            #expect(tickets.first?["steps"] == nil, "lists leave the steps out")
            let canteen = try await f.base.send(client, .get, "/api/v1/tickets?building=canteen", as: .viewer)
            #expect(canteen.body.contains(#""title":"old""#) && !canteen.body.contains(#""title":"new""#))
            for bad in ["status=done", "building=castle"] {
                let q = try await f.base.send(client, .get, "/api/v1/tickets?\(bad)", as: .viewer)
                #expect(q.status == .unprocessableContent && q.body.contains("bad_query"), "\(bad)")
            }
        }
    }

    @Test("no token is 401, a viewer or duty token writing is 403, an unknown ticket is 404")
    func refusals() async throws {
        let f = try await TicketFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            for (method, uri) in [
                (HTTPRequest.Method.post, "/api/v1/tickets"), (.get, "/api/v1/tickets"),
                (.get, "/api/v1/tickets/T-2026-0001"),
                (.post, "/api/v1/tickets/T-2026-0001/steps"),
            ] {
                let r = try await f.base.send(client, method, uri, as: nil, json: "{}")
                #expect(r.status == .unauthorized, "\(uri)")
            }
            for role in [APIRole.viewer, .duty] {
                let r = try await f.base.send(
                    client,
                    .post,
                    "/api/v1/tickets",
                    as: role,
                    json: #"{"title":"x","building":"dorm-a"}"#
                )
                #expect(r.status == .forbidden && r.body.contains("forbidden"), "\(role)")
                let s = try await f.base.send(
                    client,
                    .post,
                    "/api/v1/tickets/T-2026-0001/steps",
                    as: role,
                    json: #"{"step":"note"}"#
                )
                #expect(s.status == .forbidden, "\(role)")
            }
            let missing = try await f.base.send(client, .get, "/api/v1/tickets/T-2026-0009", as: .viewer)
            #expect(missing.status == .notFound && missing.body.contains(#""error":"unknown_ticket""#))
            let step = try await f.base.send(
                client,
                .post,
                "/api/v1/tickets/nonsense/steps",
                as: .admin,
                json: #"{"step":"note","note":"x"}"#
            )
            #expect(step.status == .notFound && step.body.contains("unknown_ticket"))
        }
        #expect(try f.store.tickets(open: nil).isEmpty)
    }

    @Test("a step out of the loop is 409 bad_transition; the rectifier verifying is 409 verifier_is_rectifier")
    func conflicts() async throws {
        let f = try await TicketFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            _ = try await f.base.send(
                client,
                .post,
                "/api/v1/tickets",
                as: .admin,
                json: #"{"title":"x","building":"dorm-a"}"#
            )
            let path = "/api/v1/tickets/T-2026-0001/steps"
            let skip = try await f.base.send(client, .post, path, as: .maintenance, json: #"{"step":"closed"}"#)
            #expect(skip.status == .conflict && skip.body.contains(#""error":"bad_transition""#))
            #expect(skip.body.contains("the next step is assigned or note, not closed"), "\(skip.body)")
            _ = try await f.base.send(
                client,
                .post,
                path,
                as: .admin,
                json: #"{"step":"assigned","assignee":"maintenance-person"}"#
            )
            _ = try await f.base.send(client, .post, path, as: .maintenance, json: #"{"step":"rectified"}"#)
            let same = try await f.base.send(client, .post, path, as: .maintenance, json: #"{"step":"verified"}"#)
            #expect(same.status == .conflict && same.body.contains(#""error":"verifier_is_rectifier""#), "\(same.body)")
            let reopened = try await f.base.send(
                client,
                .post,
                path,
                as: .admin,
                json: #"{"step":"reopened","note":"still blocked"}"#
            )
            #expect(reopened.status == .ok && reopened.body.contains(#""status":"assigned""#))
        }
    }

    @Test("bad bodies are 422 naming the field; nothing is stored")
    func badBodies() async throws {
        let f = try await TicketFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            for (json, field) in [
                (#"{"building":"dorm-a"}"#, "title"), (#"{"title":"x"}"#, "building"),
                (#"{"title":"x","building":"castle"}"#, "building"), (#"{"title":"x","device":"nope"}"#, "device"),
                (#"{"title":"x","building":"canteen","device":"dorm-a-301-smoke-1"}"#, "device"),
                (#"{"title":"x","building":"dorm-a","photos":["ftp://x/y"]}"#, "photos"),
                (#"{"title":"x","location":"dorm a/1"}"#, "location"), (#"{"title":"x","fault":"A-404"}"#, "fault"),
                (#"{"title":"x","building":"dorm-a","fault":"20261120T141000Z-7"}"#, "fault"),
                (#"{"title":7,"building":"dorm-a"}"#, "title"),
            ] {
                let r = try await f.base.send(client, .post, "/api/v1/tickets", as: .maintenance, json: json)
                #expect(r.status == .unprocessableContent, "\(json)")
                #expect(r.body.contains("bad_request_body") && r.body.contains(field), "\(json): \(r.body)")
            }
            #expect(try f.store.tickets(open: nil).isEmpty)
            _ = try await f.base.send(
                client,
                .post,
                "/api/v1/tickets",
                as: .admin,
                json: #"{"title":"x","building":"dorm-a"}"#
            )
            for (json, field) in [
                (#"{"step":"fixed"}"#, "step"), (#"{"step":"found"}"#, "step"), (#"{"step":"assigned"}"#, "assignee"),
                (#"{"note":"x"}"#, "step"),
                (
                    #"{"step":"note","photos":["https://a/1","https://a/2","https://a/3","https://a/4","https://a/5","https://a/6"]}"#,
                    "photos"
                ),
            ] {
                let r = try await f.base.send(
                    client,
                    .post,
                    "/api/v1/tickets/T-2026-0001/steps",
                    as: .maintenance,
                    json: json
                )
                #expect(r.status == .unprocessableContent && r.body.contains(field), "\(json): \(r.body)")
            }
            #expect(try f.store.ticket("T-2026-0001")?.steps.count == 1)
        }
    }

    @Test("a ticket from a fault takes the alarm's building, location, device and kind")
    func fromFault() async throws {
        let f = try await TicketFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let r = try await f.base.send(
                client,
                .post,
                "/api/v1/tickets",
                as: .maintenance,
                json: #"{"title":"探测器误报 False alarms","fault":"20261120T141000Z-7"}"#
            )
            #expect(r.status == .created, "\(r.body)")
            #expect(
                r.body.contains(
                    #""building":"dorm-a","location":"dorm-a/3/301","device":"dorm-a-301-smoke-1","fault":"20261120T141000Z-7","kind":"smoke""#
                ),
                "\(r.body)"
            )
        }
    }
}
