import CampusGuardCore
import CampusGuardServer
import CampusGuardStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("API: alarms, tokens and roles")
struct AlarmRoutesTests {
    @Test("no token, an unknown token or a malformed header is 401 with a JSON error")
    func unauthorized() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let none = try await f.send(client, .get, "/api/v1/alarms", as: nil)
            #expect(none.status == .unauthorized)
            #expect(none.body.contains(#""error":"unauthorized""#))
            #expect(none.body.contains(#""reason":"#))
            for header in ["Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer", "viewer-token-1"] {
                let r = try await client.execute(uri: "/api/v1/alarms", method: .get, headers: [.authorization: header])
                #expect(r.status == .unauthorized, "\(header)")
            }
        }
        #expect(f.engine.received.isEmpty)
    }

    @Test("GET alarms lists the store's open alarms for a viewer")
    func listAlarms() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let r = try await f.send(client, .get, "/api/v1/alarms", as: .viewer)
            #expect(r.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(r.body.utf8)) as? [String: Any]
            let alarms = json?["alarms"] as? [[String: Any]] ?? []
            #expect(alarms.count == 1)
            #expect(alarms.first?["id"] as? String == ServerFixture.alarm)
            #expect(alarms.first?["kind"] as? String == "smoke")
            #expect(alarms.first?["severity"] as? String == "major")
            #expect(alarms.first?["location"] as? String == "dorm-a/3/301")
            #expect(alarms.first?["devices"] as? [String] == ["dorm-a-301-smoke-1"])
            #expect(alarms.first?["state"] as? String == "raised")
            #expect(alarms.first?["test"] as? Bool == false)
            #expect(alarms.first?["raised_at"] as? String == RFC3339.format(ServerFixture.raised.timestamp))
            #expect(alarms.first?["acknowledged_by"] is NSNull)
        }
        try await f.store.append(events: [ServerFixture.acknowledged(by: "wang")])
        try await f.server.application().test(.router) { client in
            let r = try await f.send(client, .get, "/api/v1/alarms", as: .viewer)
            #expect(r.body.contains(#""state":"acknowledged","acknowledged_by":"wang""#))
        }
    }

    @Test("a viewer may not acknowledge: 403, and the engine hears nothing")
    func viewerCannotAcknowledge() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let r = try await f.send(client, .post, "/api/v1/alarms/\(ServerFixture.alarm)/ack", as: .viewer)
            #expect(r.status == .forbidden)
            #expect(r.body.contains(#""error":"forbidden""#))
            #expect(r.body.contains("viewer"))
            #expect(!r.body.contains(ServerFixture.tokens[.viewer]!), "a token is never echoed")
            let m = try await f.send(client, .post, "/api/v1/alarms/\(ServerFixture.alarm)/ack", as: .maintenance)
            #expect(m.status == .forbidden)
        }
        #expect(f.engine.received.isEmpty)
    }

    @Test("duty acknowledges: 200 with the events; by defaults to the token's name")
    func dutyAcknowledges() async throws {
        let f = try await ServerFixture { command in
            guard case .acknowledge(_, let by) = command else { return [] }
            return [ServerFixture.acknowledged(by: by)]
        }
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let r = try await f.send(client, .post, "/api/v1/alarms/\(ServerFixture.alarm)/ack", as: .duty)
            #expect(r.status == .ok)
            #expect(r.body.hasPrefix(#"{"alarm":"\#(ServerFixture.alarm)","events":[{"ts":"#))
            #expect(r.body.contains(#""type":"alarm.acknowledged""#))
            #expect(r.body.contains(#""by":"duty-person""#))
            let named = try await f.send(
                client,
                .post,
                "/api/v1/alarms/\(ServerFixture.alarm)/ack",
                as: .admin,
                json: #"{"by":"王老师"}"#
            )
            #expect(named.status == .ok)
            #expect(named.body.contains(#""by":"王老师""#))
        }
        #expect(
            f.engine.received == [
                .acknowledge(alarm: ServerFixture.alarm, by: "duty-person"),
                .acknowledge(alarm: ServerFixture.alarm, by: "王老师"),
            ]
        )
    }

    @Test("the engine's refusals: unknown alarm 404, condition still present 409, stopping 503")
    func refusals() async throws {
        let f = try await ServerFixture { command throws(CommandError) in
            switch command {
            case .acknowledge(let alarm, _) where alarm == "stopping": throw .stopped
            case .acknowledge(let alarm, _): throw .refused(.unknownAlarm(alarm))
            case .resolve(let alarm, _, _): throw .refused(.conditionStillPresent(alarm))
            default: return []
            }
        }
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let unknown = try await f.send(client, .post, "/api/v1/alarms/nope-1/ack", as: .duty)
            #expect(unknown.status == .notFound)
            #expect(unknown.body.contains(#""error":"unknown_alarm""#))
            let present = try await f.send(
                client,
                .post,
                "/api/v1/alarms/\(ServerFixture.alarm)/resolve",
                as: .duty,
                json: #"{"note":"checked"}"#
            )
            #expect(present.status == .conflict)
            #expect(present.body.contains(#""error":"condition_still_present""#))
            let stopping = try await f.send(client, .post, "/api/v1/alarms/stopping/ack", as: .duty)
            #expect(stopping.status == .serviceUnavailable)
        }
    }

    @Test("resolve needs a note: missing, empty or not JSON is 422 and never reaches the engine")
    func resolveNeedsNote() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        let uri = "/api/v1/alarms/\(ServerFixture.alarm)/resolve"
        try await f.server.application().test(.router) { client in
            for body in [nil, "{}", #"{"note":"  "}"#, #"{"note":42}"#, "note=checked", #"{"note":"ok","by":"a\nb"}"#] {
                let r = try await f.send(client, .post, uri, as: .duty, json: body)
                #expect(r.status == .unprocessableContent, "\(body ?? "no body")")
                #expect(r.body.contains(#""error":"bad_request_body""#))
            }
            let ok = try await f.send(
                client,
                .post,
                uri,
                as: .duty,
                json: #"{"note":"false alarm: steam from the shower"}"#
            )
            #expect(ok.status == .ok)
        }
        #expect(
            f.engine.received == [
                .resolve(alarm: ServerFixture.alarm, by: "duty-person", note: "false alarm: steam from the shower")
            ]
        )
    }

    @Test("healthz answers ok without a token")
    func health() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let r = try await client.execute(uri: "/healthz", method: .get)
            #expect(r.status == .ok)
            #expect(String(buffer: r.body) == "ok")
        }
    }
}
