import CampusGuardCore
import CampusGuardServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("What the server logs")
struct ServerLogTests {
    @Test("tokens and link signatures never reach the log, good or bad")
    func secretsNotLogged() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        let exp = ServerFixture.now.millisecondsSinceEpoch / 1000 + 600
        let query = ServerFixture.linkQuery(exp: exp)
        let sig = String(query.split(separator: "=").last!)
        try await f.server.application().test(.router) { client in
            for role in APIRole.allCases {
                _ = try await f.send(client, .post, "/api/v1/alarms/\(ServerFixture.alarm)/ack", as: role)
            }
            _ = try await client.execute(
                uri: "/api/v1/alarms",
                method: .get,
                headers: [.authorization: "Bearer guessed-secret"]
            )
            _ = try await client.execute(uri: "/ack/\(ServerFixture.alarm)?\(query)", method: .post)
            _ = try await client.execute(uri: "/ack/other-alarm?\(query)", method: .get)
        }
        let log = f.log.all
        #expect(log.contains { $0.contains("api.token=duty-person") })
        #expect(log.contains { $0.contains("bad signature") })
        for secret in Array(ServerFixture.tokens.values) + ["guessed-secret", sig, ServerFixture.keyHex] {
            #expect(!log.contains { $0.contains(secret) }, "\(secret) logged")
        }
    }
}
