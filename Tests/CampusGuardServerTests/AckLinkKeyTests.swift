import CampusGuardCore
import CampusGuardServer
import Foundation
import Testing

@Suite("The acknowledge link key")
struct AckLinkKeyTests {
    static func keyFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cg-key-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a hex key file is the bytes it spells; any other text is the key as written")
    func hexOrRaw() throws {
        let exp = ServerFixture.now.millisecondsSinceEpoch / 1000 + 60
        let query = ServerFixture.linkQuery(exp: exp)
        let sig = String(query.split(separator: "=").last!)
        let hex = try Self.keyFile(ServerFixture.keyHex + "\n")
        defer { try? FileManager.default.removeItem(atPath: hex) }
        let key = try AckLinkKey(file: hex)
        #expect(key.check(alarm: ServerFixture.alarm, exp: "\(exp)", sig: sig, now: ServerFixture.now) == .valid)
        #expect(
            key.check(alarm: ServerFixture.alarm, exp: "\(exp)", sig: sig, now: ServerFixture.now + .seconds(61))
                == .expired
        )

        let raw = try Self.keyFile("correct horse battery staple\n")
        defer { try? FileManager.default.removeItem(atPath: raw) }
        let rawKey = try AckLinkKey(file: raw)
        #expect(rawKey.check(alarm: ServerFixture.alarm, exp: "\(exp)", sig: sig, now: ServerFixture.now) == .invalid)
        #expect(
            AckLinkKey(secret: Array("correct horse battery staple".utf8)).check(
                alarm: "a",
                exp: "1",
                sig: sig,
                now: ServerFixture.now
            ) == .invalid
        )
    }

    @Test("a short, empty or missing key file is refused at start")
    func refused() throws {
        let short = try Self.keyFile("secret\n")
        defer { try? FileManager.default.removeItem(atPath: short) }
        #expect(throws: ServerError.self) { try AckLinkKey(file: short) }
        #expect(throws: ServerError.self) { try AckLinkKey(file: "/nonexistent/ack.key") }
    }

    @Test("malformed exp or sig is invalid, never a crash")
    func malformed() {
        let key = AckLinkKey(secret: Array(repeating: UInt8(7), count: 32))
        for (exp, sig) in [
            ("", "00"), ("abc", String(repeating: "0", count: 64)), ("1", String(repeating: "g", count: 64)),
            ("99999999999999999999", String(repeating: "0", count: 64)), ("-1", String(repeating: "0", count: 63)),
        ] {
            #expect(key.check(alarm: "a", exp: exp, sig: sig, now: ServerFixture.now) == .invalid)
        }
        #expect(key.check(alarm: "a", exp: nil, sig: nil, now: ServerFixture.now) == .invalid)
    }
}
