import CampusGuardCore
import CampusGuardServer
import CampusGuardStore
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

/// A server over a temporary directory: a tokens file with one token per role, a link key, a
/// real store holding one open smoke alarm, a fake engine and a fixed clock.
struct ServerFixture {
    static let now = Instant(secondsSinceEpoch: 1_795_000_000)
    static let alarm = "20261120T141000Z-7"
    static let keyHex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    static let tokens: [APIRole: String] = [
        .viewer: "viewer-token-1", .duty: "duty-token-2", .maintenance: "maintenance-token-3", .admin: "admin-token-4",
    ]

    let dir: URL
    let engine: FakeEngine
    let store: Store
    let server: APIServer
    let log = LogLines()
    var tokensFile: String { dir.appendingPathComponent("tokens").path }

    init(ackLinks: Bool = true, answer: @escaping FakeEngine.Answer = { _ in [] }) async throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let lines =
            ["# test tokens"]
            + APIRole.allCases.map { "\($0.rawValue)-person \($0.rawValue) \(TokenFile.hash(Self.tokens[$0]!))" }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: dir.appendingPathComponent("tokens").path,
            atomically: true,
            encoding: .utf8
        )
        let keyFile = dir.appendingPathComponent("ack.key").path
        try (Self.keyHex + "\n").write(toFile: keyFile, atomically: true, encoding: .utf8)
        store = try Store(path: dir.appendingPathComponent("cg.sqlite").path)
        try await store.append(events: [Self.raised])
        engine = FakeEngine(answer: answer)
        let config = SiteConfig(
            site: .init(id: "demo", name: "Demo School"),
            buildings: [Building(id: "dorm-a", name: "Dormitory A", kind: .dormitory)],
            devices: [],
            api: .init(
                listen: "127.0.0.1:0",
                tokensFile: dir.appendingPathComponent("tokens").path,
                ackLinkKeyFile: ackLinks ? keyFile : nil
            )
        )
        server = try APIServer(config: config, commands: engine, store: store, logger: log.logger, clock: { Self.now })
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }

    static let raised = Event(
        timestamp: now - .seconds(30),
        type: .alarmRaised,
        alarm: alarm,
        kind: .smoke,
        severity: .major,
        devices: ["dorm-a-301-smoke-1"],
        location: "dorm-a/3/301",
        reason: "threshold"
    )

    static func acknowledged(by: String) -> Event {
        var e = raised
        e.type = .alarmAcknowledged
        e.timestamp = now
        e.by = by
        return e
    }

    /// An acknowledge link's query, signed as the delivery side signs it.
    static func linkQuery(alarm: String = alarm, exp: Int64, key: String = keyHex) -> String {
        let bytes = stride(from: 0, to: key.count, by: 2).map { i -> UInt8 in
            let start = key.index(key.startIndex, offsetBy: i)
            return UInt8(key[start..<key.index(start, offsetBy: 2)], radix: 16)!
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(alarm).\(exp)".utf8), using: SymmetricKey(data: bytes))
        return "exp=\(exp)&sig=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Sends a request with the role's token (none when nil) and a JSON body.
    func send(
        _ client: some TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ uri: String,
        as role: APIRole?,
        json: String? = nil
    ) async throws -> (status: HTTPResponse.Status, body: String) {
        var headers: HTTPFields = [:]
        if let role { headers[.authorization] = "Bearer \(Self.tokens[role]!)" }
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(
            uri: uri,
            method: method,
            headers: headers,
            body: json.map { ByteBuffer(string: $0) }
        )
        return (response.status, String(buffer: response.body))
    }
}
