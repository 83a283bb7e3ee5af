import CampusGuardCore
import CampusGuardServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("API: /healthz, /readyz and /metrics")
struct HealthRoutesTests {
    func server(_ observation: FakeObservation?) async throws -> (ServerFixture, APIServer) {
        let f = try await ServerFixture()
        let config = SiteConfig(
            site: .init(id: "demo", name: "Demo School"),
            buildings: [],
            devices: [],
            api: .init(listen: "127.0.0.1:0", tokensFile: f.tokensFile)
        )
        let server = try APIServer(
            config: config,
            commands: f.engine,
            store: f.store,
            logger: f.log.logger,
            clock: { ServerFixture.now },
            observation: observation
        )
        return (f, server)
    }

    @Test("healthz is 200 ok while the engine loop goes round, 503 once it stalled or before it started; no token")
    func liveness() async throws {
        let observation = FakeObservation()
        let (f, server) = try await server(observation)
        defer { f.remove() }
        try await server.application().test(.router) { client in
            var r = try await client.execute(uri: "/healthz", method: .get)
            #expect(r.status == .ok)
            #expect(String(buffer: r.body) == "ok")
            observation.set(loopAgo: .seconds(30))
            r = try await client.execute(uri: "/healthz", method: .get)
            #expect(r.status == .serviceUnavailable)
            #expect(String(buffer: r.body) == "down: the engine's loop stalled 30 s ago")
            observation.set(loopAgo: nil)
            r = try await client.execute(uri: "/healthz", method: .get)
            #expect(r.status == .serviceUnavailable)
        }
    }

    @Test("readyz is 200 when ok or degraded and 503 when down, with each part as JSON; no token")
    func readiness() async throws {
        let observation = FakeObservation()
        let (f, server) = try await server(observation)
        defer { f.remove() }
        try await server.application().test(.router) { client in
            var r = try await client.execute(uri: "/readyz", method: .get)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/json; charset=utf-8")
            #expect(String(buffer: r.body).hasPrefix(#"{"status":"ok","parts":[{"name":"engine""#))
            var s = GatewaySnapshot.healthy
            s.storeProblem = "read_only"
            observation.set(s)
            r = try await client.execute(uri: "/readyz", method: .get)
            #expect(r.status == .ok)
            #expect(String(buffer: r.body).contains(#"{"name":"store","state":"degraded","reason":"read_only"}"#))
            s.engineLoopAge = .seconds(60)
            observation.set(s)
            r = try await client.execute(uri: "/readyz", method: .get)
            #expect(r.status == .serviceUnavailable)
            #expect(String(buffer: r.body).hasPrefix(#"{"status":"down""#))
        }
    }

    @Test("metrics answers Prometheus text 0.0.4 without a token")
    func metrics() async throws {
        let observation = FakeObservation()
        observation.metrics.countReadings(4, from: .mqtt)
        let (f, server) = try await server(observation)
        defer { f.remove() }
        try await server.application().test(.router) { client in
            let r = try await client.execute(uri: "/metrics", method: .get)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(samples(String(buffer: r.body))[#"campusguard_readings_total{protocol="mqtt"}"#] == 4)
        }
    }

    @Test("without a daemon to observe, healthz is ok and readyz and metrics are not served")
    func alone() async throws {
        let (f, server) = try await server(nil)
        defer { f.remove() }
        try await server.application().test(.router) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(health.status == .ok)
            #expect(ready.status == .notFound)
            #expect(metrics.status == .notFound)
        }
    }
}
