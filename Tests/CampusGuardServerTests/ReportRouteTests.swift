import CampusGuardCore
import CampusGuardServer
import CampusGuardStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("API: the safety report")
struct ReportRouteTests {
    static let since = RFC3339.format(ServerFixture.now - .hours(1))

    @Test("no token is 401; every role may read the report")
    func roles() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let none = try await f.send(client, .get, "/api/v1/report?since=\(Self.since)", as: nil)
            #expect(none.status == .unauthorized)
            for role in APIRole.allCases {
                let r = try await f.send(client, .get, "/api/v1/report?since=\(Self.since)", as: role)
                #expect(r.status == .ok, "\(role)")
            }
        }
    }

    @Test("JSON by default, until defaults to now: the store's alarm with its acknowledgement delay")
    func json() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.store.append(events: [ServerFixture.acknowledged(by: "wang")])
        let opened = ServerFixture.now - .hours(2)
        let ticket = try await f.store.createTicket(
            NewTicket(title: "Blocked fire exit", building: "dorm-a", by: "li.gong"),
            at: opened
        )
        let closed = try await f.store.createTicket(NewTicket(title: "Done", building: "dorm-a", by: "li"), at: opened)
        for step in [TicketStepKind.assigned, .rectified] {
            _ = try await f.store.addTicketStep(
                to: closed.id,
                NewTicketStep(kind: step, by: "li", assignee: step == .assigned ? "li" : nil),
                at: opened
            )
        }
        _ = try await f.store.addTicketStep(to: closed.id, NewTicketStep(kind: .verified, by: "wang"), at: opened)
        _ = try await f.store.addTicketStep(to: closed.id, NewTicketStep(kind: .closed, by: "wang"), at: opened)
        try await f.server.application().test(.router) { client in
            let r = try await f.send(client, .get, "/api/v1/report?since=\(Self.since)", as: .viewer)
            #expect(r.status == .ok)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any])
            #expect(object["until"] as? String == RFC3339.format(ServerFixture.now))
            let alarms = try #require(object["alarms"] as? [[String: Any]])
            #expect(alarms.first?["alarm"] as? String == ServerFixture.alarm)
            let ack = try #require(alarms.first?["acknowledged"] as? [String: Any])
            #expect(ack["by"] as? String == "wang")
            #expect(ack["after_s"] as? Double == 30)
            // The hazard tickets open now, with their age at the period's end; closed ones are not listed.
            let tickets = try #require(object["tickets"] as? [[String: Any]])
            #expect(tickets.count == 1)
            #expect(tickets.first?["id"] as? String == ticket.id)
            #expect(tickets.first?["age_s"] as? Double == 7200)
        }
    }

    @Test("format=md and format=csv answer text with their content types; an old period is empty")
    func formats() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let md = try await client.execute(
                uri: "/api/v1/report?since=\(Self.since)&format=md",
                method: .get,
                headers: [.authorization: "Bearer \(ServerFixture.tokens[.viewer]!)"]
            )
            #expect(md.status == .ok)
            #expect(md.headers[.contentType] == "text/markdown; charset=utf-8")
            #expect(String(buffer: md.body).contains("| \(ServerFixture.alarm) | 烟感报警 · smoke |"))
            let csv = try await f.send(client, .get, "/api/v1/report?since=\(Self.since)&format=csv", as: .duty)
            #expect(csv.body.hasPrefix(SafetyReport.csvHeaders["alarms"]! + "\nalarms,\(ServerFixture.alarm),false,"))
            let old = try await f.send(
                client,
                .get,
                "/api/v1/report?since=2020-01-01T00:00:00Z&until=2020-02-01T00:00:00Z",
                as: .viewer
            )
            #expect(old.body.contains(#""alarms":[]"#), "\(old.body)")
        }
    }

    @Test("a missing or bad since, until or format is 422 bad_query with the reason")
    func badQuery() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            for query in [
                "", "?since=yesterday", "?since=\(Self.since)&until=soon", "?since=\(Self.since)&format=pdf",
                "?since=2026-11-20T00:00:00Z&until=2026-11-19T00:00:00Z",
            ] {
                let r = try await f.send(client, .get, "/api/v1/report" + query, as: .viewer)
                #expect(r.status == .unprocessableContent, "\(query)")
                #expect(r.body.contains(#""error":"bad_query""#), "\(query)")
            }
        }
    }
}
