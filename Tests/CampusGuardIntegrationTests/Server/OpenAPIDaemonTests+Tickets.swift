import CampusGuardTestKit
import Foundation
import Testing

extension IntegrationTests.OpenAPIDaemonTests {
    /// Sends one request as a role (none when nil), with an optional JSON body.
    typealias Send = (_ method: String, _ target: String, _ role: String?, _ json: String?) async throws -> APIExchange

    /// Hazard tickets, inspections, the safety report and `/readyz` of a running daemon whose
    /// 301 smoke detector has raised (and someone acknowledged and resolved) an alarm: each
    /// route's success and a refusal or two (401, 403, 404, 409, 422).
    static func ticketExchanges(_ send: Send) async throws -> [APIExchange] {
        var x: [APIExchange] = []
        let created = try await send(
            "POST",
            "/api/v1/tickets",
            "maintenance",
            #"{"title":"安全出口堵塞 Blocked fire exit","location":"dorm-a/3","note":"boxes","photos":["https://pics.school.lan/1.jpg"]}"#
        )
        x.append(created)
        #expect(created.status == 201, "\(created.body)")
        let ticket = try #require(
            ((try? JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])?["ticket"]
                as? [String: Any])?["id"] as? String,
            "\(created.body)"
        )
        x.append(try await send("POST", "/api/v1/tickets", "viewer", #"{"title":"x","building":"dorm-a"}"#))
        x.append(try await send("POST", "/api/v1/tickets", "maintenance", #"{"title":"no building"}"#))
        let steps = "/api/v1/tickets/\(ticket)/steps"
        x.append(try await send("POST", steps, "maintenance", #"{"step":"assigned","assignee":"李师傅"}"#))
        x.append(try await send("POST", steps, "admin", #"{"step":"closed"}"#))
        x.append(try await send("POST", steps, "admin", #"{"step":"note","note":"still blocked"}"#))
        x.append(try await send("POST", "/api/v1/tickets/T-1999-0042/steps", "admin", #"{"step":"note"}"#))
        x.append(try await send("GET", "/api/v1/tickets", "viewer", nil))
        x.append(try await send("GET", "/api/v1/tickets?status=all&building=dorm-a", "duty", nil))
        x.append(try await send("GET", "/api/v1/tickets?status=someday", "viewer", nil))
        x.append(try await send("GET", "/api/v1/tickets/\(ticket)", "viewer", nil))
        x.append(try await send("GET", "/api/v1/tickets/T-1999-0042", "viewer", nil))

        let inspections = "/api/v1/devices/dorm-a-301-smoke-1/inspections"
        x.append(try await send("POST", inspections, "maintenance", #"{"result":"pass","note":"蜂鸣器正常"}"#))
        x.append(try await send("POST", inspections, "admin", #"{"result":"fail","note":"no sound","ticket":true}"#))
        x.append(try await send("POST", inspections, "maintenance", #"{"result":"maybe"}"#))
        x.append(try await send("POST", inspections, "duty", #"{"result":"pass"}"#))
        x.append(try await send("POST", "/api/v1/devices/nope/inspections", "admin", #"{"result":"pass"}"#))
        x.append(try await send("GET", inspections + "?limit=10", "viewer", nil))
        x.append(try await send("GET", "/api/v1/inspections?since=2020-01-01T00:00:00Z", "viewer", nil))
        x.append(try await send("GET", "/api/v1/inspections", nil, nil))

        x.append(try await send("GET", "/api/v1/report?since=2020-01-01T00:00:00Z", "viewer", nil))
        x.append(try await send("GET", "/api/v1/report?since=2020-01-01T00:00:00Z&format=md", "viewer", nil))
        x.append(try await send("GET", "/api/v1/report?since=2020-01-01T00:00:00Z&format=csv", "viewer", nil))
        x.append(try await send("GET", "/api/v1/report", "viewer", nil))
        x.append(try await send("GET", "/api/v1/report?since=2020-01-01T00:00:00Z", nil, nil))
        x.append(try await send("GET", "/readyz", nil, nil))
        return x
    }
}
