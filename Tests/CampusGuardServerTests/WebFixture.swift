import CampusGuardCore
import CampusGuardServer
import CampusGuardStore
import CampusGuardTestKit
import Foundation
import Hummingbird
import HummingbirdTesting

/// A server with the web page over a real store and an engine board with one open smoke alarm
/// in a building whose name needs escaping; tokens for every role, as in `ServerFixture`.
struct WebFixture {
    /// HummingbirdTesting's router tests send every request to `localhost`.
    static let origin = "http://localhost"
    static let buildingName = #"<Dorm & "A">"#
    static let deviceName = #"<b>"smoke" & co</b>"#

    let dir: URL
    let engine: FakeEngine
    let store: Store
    let server: APIServer
    let alarm: String
    var tokensFile: String { dir.appendingPathComponent("tokens").path }

    init(
        publicURL: String? = nil,
        sources: WebPageSources? = nil,
        answer: @escaping FakeEngine.Answer = { _ in [] }
    ) async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let lines = APIRole.allCases.map {
            "\($0.rawValue)-person \($0.rawValue) \(TokenFile.hash(ServerFixture.tokens[$0]!))"
        }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: dir.appendingPathComponent("tokens").path,
            atomically: true,
            encoding: .utf8
        )
        var config = SiteConfig(
            site: .init(id: "demo", name: "Tom's <School>", timezone: "Asia/Shanghai"),
            buildings: [Building(id: "dorm-a", name: Self.buildingName, kind: .dormitory)],
            devices: [
                DeviceConfig(
                    id: "s1",
                    name: Self.deviceName,
                    profile: "test-smoke",
                    location: LocationPath("dorm-a/3/301")!,
                    topic: "z2m/s1"
                ),
                DeviceConfig(id: "s2", profile: "test-smoke", location: LocationPath("dorm-a/3/302")!, topic: "z2m/s2"),
            ]
        )
        let campus = try Campus(config: config, profiles: TestProfiles.all)
        var driver = EngineDriver(campus: campus)
        driver.send("s2", "battery", .number(80))
        let raised = driver.send("s1", "smoke", .bool(true))
        alarm = raised.compactMap(\.alarm).first ?? "?"
        let board = driver.engine.board(at: driver.now)
        let now = driver.now
        config.api = .init(
            listen: "127.0.0.1:0",
            tokensFile: dir.appendingPathComponent("tokens").path,
            publicURL: publicURL
        )
        store = try Store(path: dir.appendingPathComponent("cg.sqlite").path)
        try await store.append(events: raised)
        engine = FakeEngine(answer: answer)
        var server = try APIServer(
            config: config,
            commands: engine,
            store: store,
            logger: LogLines().logger,
            clock: { now },
            board: { board }
        )
        // nil: the store's own inspections and tickets, as the daemon has them.
        if let sources { server.webSources = sources }
        self.server = server
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }

    /// Signs in with the role's token from this site's page; the session cookie (`name=value`).
    func signIn(_ client: some TestClientProtocol, as role: APIRole) async throws -> String {
        let r = try await client.execute(
            uri: "/login",
            method: .post,
            headers: [.origin: Self.origin, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "token=\(ServerFixture.tokens[role]!)&next=%2F")
        )
        guard r.status == .seeOther, let cookie = r.headers[.setCookie] else {
            throw TestError("sign-in failed: \(r.status) \(String(buffer: r.body))")
        }
        return String(cookie.prefix { $0 != ";" })
    }

    /// A GET with the session cookie.
    func get(_ client: some TestClientProtocol, _ uri: String, cookie: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    /// A form POST with the session cookie, from `origin` (nil: no Origin header).
    func post(
        _ client: some TestClientProtocol,
        _ uri: String,
        cookie: String?,
        form: String,
        origin: String? = origin
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        if let origin { headers[.origin] = origin }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: form))
    }

    /// The form token on a page (the hidden `form_token` field).
    static func formToken(in page: String) -> String? {
        guard let r = page.range(of: #"name="form_token" value=""#) else { return nil }
        return String(page[r.upperBound...].prefix { $0 != "\"" })
    }
}
