import CampusGuardCore
import CampusGuardServer
import CampusGuardStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("API: maintenance mode")
struct MaintenanceRoutesTests {
    /// Answers as the engine does: a panic button is refused.
    static let engine: FakeEngine.Answer = { command throws(CommandError) in
        if case .startMaintenance(let device, _) = command, device == "gate-panic-1" {
            throw .refused(.panicButtonCannotBeDisabled(device))
        }
        return []
    }

    @Test("maintenance staff put a device in maintenance for N minutes or until a time, and end it")
    func startAndEnd() async throws {
        let f = try await ServerFixture(answer: Self.engine)
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let path = "/api/v1/devices/dorm-a-301-smoke-1/maintenance"
            let minutes = try await f.send(client, .post, path, as: .maintenance, json: #"{"minutes":30}"#)
            #expect(minutes.status == .ok, "\(minutes.body)")
            let until = ServerFixture.now + .minutes(30)
            #expect(try object(minutes.body)["maintenance_until"] as? String == RFC3339.format(until))
            let later = ServerFixture.now + .hours(2)
            let at = try await f.send(client, .post, path, as: .admin, json: #"{"until":"\#(RFC3339.format(later))"}"#)
            #expect(at.status == .ok)
            let end = try await f.send(client, .delete, path, as: .maintenance)
            #expect(end.status == .ok)
            #expect(try object(end.body)["maintenance_until"] is NSNull)
        }
        #expect(
            f.engine.received == [
                .startMaintenance(device: "dorm-a-301-smoke-1", until: ServerFixture.now + .minutes(30)),
                .startMaintenance(device: "dorm-a-301-smoke-1", until: ServerFixture.now + .hours(2)),
                .endMaintenance(device: "dorm-a-301-smoke-1"),
            ]
        )
        #expect(f.log.all.contains { $0.contains("command carried out") && $0.contains("maintenance-person") })
    }

    @Test("a panic button is refused with 422 panic_button in the engine's words")
    func panicButton() async throws {
        let f = try await ServerFixture(answer: Self.engine)
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let r = try await f.send(
                client,
                .post,
                "/api/v1/devices/gate-panic-1/maintenance",
                as: .admin,
                json: #"{"minutes":10}"#
            )
            #expect(r.status == .unprocessableContent)
            #expect(r.body.contains(#""error":"panic_button""#))
            #expect(r.body.contains("can never be put in maintenance"))
        }
    }

    @Test("viewer and duty may not (403); unknown device 404; bad bodies 422 and the engine hears nothing")
    func refusals() async throws {
        let f = try await ServerFixture(answer: Self.engine)
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let path = "/api/v1/devices/dorm-a-301-smoke-1/maintenance"
            for role in [APIRole.viewer, .duty] {
                #expect(try await f.send(client, .post, path, as: role, json: #"{"minutes":5}"#).status == .forbidden)
                #expect(try await f.send(client, .delete, path, as: role).status == .forbidden)
            }
            #expect(try await f.send(client, .post, path, as: nil, json: #"{"minutes":5}"#).status == .unauthorized)
            let unknown = try await f.send(
                client,
                .post,
                "/api/v1/devices/nope/maintenance",
                as: .maintenance,
                json: #"{"minutes":5}"#
            )
            #expect(unknown.status == .notFound && unknown.body.contains("unknown_device"))
            let past = RFC3339.format(ServerFixture.now - .seconds(1))
            let tooFar = RFC3339.format(ServerFixture.now + .hours(24 * 7 + 1))
            for body in [
                "{}", #"{"minutes":0}"#, #"{"minutes":10081}"#, #"{"minutes":5,"until":"\#(past)"}"#,
                #"{"until":"\#(past)"}"#, #"{"until":"\#(tooFar)"}"#, #"{"until":"soon"}"#, "[]",
            ] {
                let r = try await f.send(client, .post, path, as: .maintenance, json: body)
                #expect(r.status == .unprocessableContent, "\(body)")
                #expect(r.body.contains("bad_request_body"), "\(body)")
            }
        }
        #expect(f.engine.received.isEmpty)
    }
}
