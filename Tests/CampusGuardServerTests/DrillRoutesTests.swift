import CampusGuardCore
import CampusGuardServer
import CampusGuardStore
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("API: drills")
struct DrillRoutesTests {
    @Test("an admin starts a drill now and stops it")
    func startAndStop() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let start = try await f.send(
                client,
                .post,
                "/api/v1/drills",
                as: .admin,
                json: #"{"name":"Dorm A fire drill","buildings":["dorm-a"],"include_panic":false}"#
            )
            #expect(start.status == .created)
            #expect(start.body.contains(#""name":"Dorm A fire drill","buildings":["dorm-a"],"include_panic":false"#))
            let whole = try await f.send(client, .post, "/api/v1/drills", as: .admin, json: #"{"name":"Site drill"}"#)
            #expect(whole.status == .created)
            #expect(whole.body.contains(#""buildings":null"#))
            let stop = try await f.send(client, .delete, "/api/v1/drills/current", as: .admin)
            #expect(stop.status == .ok)
        }
        #expect(
            f.engine.received == [
                .startDrill(Drill(name: "Dorm A fire drill", buildings: ["dorm-a"], startedAt: ServerFixture.now)),
                .startDrill(Drill(name: "Site drill", startedAt: ServerFixture.now)),
                .stopDrill,
            ]
        )
    }

    @Test("drills are for admins only; bad bodies and unknown buildings are 422")
    func refused() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            for role in [APIRole.viewer, .duty, .maintenance] {
                let r = try await f.send(client, .post, "/api/v1/drills", as: role, json: #"{"name":"x"}"#)
                #expect(r.status == .forbidden, "\(role)")
                let d = try await f.send(client, .delete, "/api/v1/drills/current", as: role)
                #expect(d.status == .forbidden, "\(role)")
            }
            for body in [
                #"{"name":"x","buildings":["castle"]}"#, #"{"name":""}"#, #"{"buildings":[]}"#,
                #"{"name":"x","buildings":[]}"#,
            ] {
                let r = try await f.send(client, .post, "/api/v1/drills", as: .admin, json: body)
                #expect(r.status == .unprocessableContent, "\(body)")
            }
            let unknown = try await f.send(
                client,
                .post,
                "/api/v1/drills",
                as: .admin,
                json: #"{"name":"x","buildings":["castle"]}"#
            )
            #expect(unknown.body.contains("castle"))
        }
        #expect(f.engine.received.isEmpty)
    }

    @Test("the store's drill log records each start and stop with the admin's name; the answer carries the id")
    func drillLog() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let first = try await f.send(client, .post, "/api/v1/drills", as: .admin, json: #"{"name":"Dorm A"}"#)
            #expect(first.body.contains(#""drill":{"id":1,"name":"Dorm A""#), "\(first.body)")
            let second = try await f.send(
                client,
                .post,
                "/api/v1/drills",
                as: .admin,
                json: #"{"name":"Dorm A again","buildings":["dorm-a"],"include_panic":true}"#
            )
            #expect(second.body.contains(#""id":2"#))
            _ = try await f.send(client, .delete, "/api/v1/drills/current", as: .admin)
        }
        let drills = try f.store.drills()
        #expect(
            drills == [
                DrillRecord(
                    id: 1,
                    name: "Dorm A",
                    started: ServerFixture.now,
                    stopped: ServerFixture.now,
                    startedBy: "admin-person",
                    stoppedBy: "replaced by Dorm A again"
                ),
                DrillRecord(
                    id: 2,
                    name: "Dorm A again",
                    buildings: ["dorm-a"],
                    includesPanicButtons: true,
                    started: ServerFixture.now,
                    stopped: ServerFixture.now,
                    startedBy: "admin-person",
                    stoppedBy: "admin-person"
                ),
            ]
        )
    }

    @Test("a drill the engine refused is not recorded")
    func refusedNotRecorded() async throws {
        let f = try await ServerFixture { _ throws(CommandError) in throw .stopped }
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let r = try await f.send(client, .post, "/api/v1/drills", as: .admin, json: #"{"name":"x"}"#)
            #expect(r.status == .serviceUnavailable)
        }
        #expect(try f.store.drills().isEmpty)
    }
}
