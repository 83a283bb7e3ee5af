import CampusGuardServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("The tokens file")
struct TokenFileTests {
    @Test("lines are NAME ROLE SHA256HEX; comments, blank lines and bad lines are skipped with their number")
    func parse() {
        let hash = String(repeating: "ab", count: 32)
        let text = """
            # who may use the API
            wang duty \(hash)   # night shift
            li admin \(hash.uppercased())

            zhao boss \(hash)
            qian viewer 1234
            sun viewer
            """
        let (entries, problems) = TokenFile.parse(text)
        #expect(entries.map(\.token) == [APIToken(name: "wang", role: .duty), APIToken(name: "li", role: .admin)])
        #expect(entries.map(\.hash) == [hash, hash])
        #expect(problems.map(\.line) == [5, 6, 7])
    }

    @Test("a new token is 43 base64url characters, the file keeps only its lower-case hex SHA-256")
    func hashFormat() {
        let token = TokenFile.newToken()
        #expect(token.count == 43)
        #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        #expect(TokenFile.newToken() != token)
        #expect(TokenFile.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("add creates the file with mode 0600, appends one line, refuses a duplicate name")
    func add() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-tokens-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tokens").path
        let token = try TokenFile.add(name: "wang", role: .duty, path: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "wang duty \(TokenFile.hash(token))\n")
        #expect(throws: ServerError.self) { try TokenFile.add(name: "wang", role: .admin, path: path) }
        #expect(throws: ServerError.self) { try TokenFile.add(name: "two words", role: .admin, path: path) }
        _ = try TokenFile.add(name: "li", role: .viewer, path: path)
        #expect(
            TokenFile.parse(try String(contentsOfFile: path, encoding: .utf8)).entries.map(\.token.name) == [
                "wang", "li",
            ]
        )
    }

    @Test("a running server sees a token added after it started, and forgets a removed one")
    func reload() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let before = try await client.execute(
                uri: "/api/v1/alarms",
                method: .get,
                headers: [.authorization: "Bearer nobody-yet"]
            )
            #expect(before.status == .unauthorized)
            let token = try TokenFile.add(name: "new-person", role: .viewer, path: f.tokensFile)
            let after = try await client.execute(
                uri: "/api/v1/alarms",
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            #expect(after.status == .ok)
            // Replaced by a file without it (a new inode, as editors and `mv` do).
            let kept = try String(contentsOfFile: f.tokensFile, encoding: .utf8).split(separator: "\n").filter {
                !$0.hasPrefix("new-person ")
            }
            try (kept.joined(separator: "\n") + "\n").write(toFile: f.tokensFile, atomically: true, encoding: .utf8)
            let removed = try await client.execute(
                uri: "/api/v1/alarms",
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            #expect(removed.status == .unauthorized)
        }
    }

    @Test("without a tokens file every API request is 401, health still answers")
    func missingFile() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try FileManager.default.removeItem(atPath: f.tokensFile)
        try await f.server.application().test(.router) { client in
            let r = try await f.send(client, .get, "/api/v1/alarms", as: .admin)
            #expect(r.status == .unauthorized)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }
}
