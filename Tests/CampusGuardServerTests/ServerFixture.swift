import CampusGuardCore
import CampusGuardServer
import CampusGuardStore
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging

/// A server over a temporary directory: a tokens file with one token per role, a link key, a
/// real store holding one open smoke alarm, a fake engine and a fixed clock; with an
/// observation, the server also answers `/readyz` and `/metrics`.
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

    init(
        ackLinks: Bool = true,
        observation: (any GatewayObservation)? = nil,
        answer: @escaping FakeEngine.Answer = { _ in [] }
    ) async throws {
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
            buildings: [
                Building(id: "dorm-a", name: "Dormitory A", kind: .dormitory),
                Building(id: "gate", name: "Main Gate", kind: .gate),
            ],
            devices: Self.devices,
            api: .init(
                listen: "127.0.0.1:0",
                tokensFile: dir.appendingPathComponent("tokens").path,
                ackLinkKeyFile: ackLinks ? keyFile : nil
            )
        )
        let board = try Self.board(config)
        server = try APIServer(
            config: config,
            commands: engine,
            store: store,
            logger: log.logger,
            clock: { Self.now },
            board: { board },
            observation: observation,
            profiles: Self.profiles
        )
    }

    static let devices = [
        DeviceConfig(
            id: "dorm-a-301-smoke-1",
            name: "301 smoke",
            profile: "heiman-hs1sa",
            location: LocationPath("dorm-a/3/301")!,
            topic: "z2m/dorm-a-301-smoke-1"
        ),
        DeviceConfig(
            id: "dorm-a-302-smoke-1",
            profile: "heiman-hs1sa",
            location: LocationPath("dorm-a/3/302")!,
            topic: "z2m/dorm-a-302-smoke-1",
            enabled: false
        ),
        DeviceConfig(
            id: "gate-panic-1",
            profile: "heiman-hs1eb",
            location: LocationPath("gate/1/guard")!,
            topic: "z2m/gate-1"
        ),
    ]

    static let profiles: [String: DeviceProfile] = [
        "heiman-hs1sa": DeviceProfile(
            id: "heiman-hs1sa",
            vendor: "HEIMAN",
            model: "HS1SA",
            description: "Photoelectric smoke detector",
            transport: .mqtt,
            mqtt: MQTTFormat(format: .zigbee2mqtt),
            channels: [
                ChannelID(.smoke): ChannelDecoding(type: .bool),
                ChannelID(.battery): ChannelDecoding(type: .number, unit: "%"),
                ChannelID(.linkQuality): ChannelDecoding(type: .number),
            ]
        ),
        "heiman-hs1eb": DeviceProfile(
            id: "heiman-hs1eb",
            vendor: "HEIMAN",
            model: "HS1EB",
            transport: .mqtt,
            mqtt: MQTTFormat(format: .zigbee2mqtt),
            channels: [ChannelID(.button): ChannelDecoding(type: .event)]
        ),
    ]

    /// The board of a real engine that heard the 301 detector's battery, link quality and smoke.
    static func board(_ config: SiteConfig) throws -> EngineBoard {
        var engine = AlarmEngine(campus: try Campus(config: config, profiles: profiles), startedAt: now - .seconds(120))
        let at = now - .seconds(60)
        for (channel, value) in [(ChannelKind.battery, ReadingValue.number(87)), (.linkQuality, .number(120))] {
            _ = engine.ingest(
                Reading(device: "dorm-a-301-smoke-1", channel: ChannelID(channel), value: value, timestamp: at),
                at: at
            )
        }
        _ = engine.ingest(
            Reading(device: "dorm-a-301-smoke-1", channel: ChannelID(.smoke), value: .bool(true), timestamp: at),
            at: at
        )
        _ = engine.ingest(
            Reading(device: "dorm-a-302-smoke-1", channel: ChannelID(.smoke), value: .bool(true), timestamp: at),
            at: at
        )
        return engine.board(at: now)
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
