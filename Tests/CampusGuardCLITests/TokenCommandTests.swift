import CampusGuardTestKit
import Foundation
import Testing

@Suite("campusguard token add", .serialized)
struct TokenCommandTests {
    /// A minimal valid config whose tokens file is in `dir`.
    static func config(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("campusguard.yaml").path
        let text = """
            site: {id: demo, name: Demo}
            locations: [{id: dorm-a, name: Dormitory A, kind: dormitory}]
            devices: []
            api: {tokens_file: \(dir.path)/tokens}
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("prints the token once on stdout, writes its hash line to a 0600 file, refuses a duplicate name")
    func add() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try Self.config(in: dir)
        let tokens = dir.appendingPathComponent("tokens").path

        let r = try CampusGuardProcess.run(["token", "add", "wang.li", "--role", "duty", "--config", config])
        #expect(r.status == 0, "\(r.stderr)")
        let token = r.stdout.trimmingCharacters(in: .newlines)
        #expect(token.count == 43 && !token.contains("\n"))
        #expect(r.stderr.contains("shown only this once"))
        #expect(!r.stderr.contains(token))
        let line = try String(contentsOfFile: tokens, encoding: .utf8)
        let fields = line.split(separator: " ")
        #expect(fields.count == 3 && fields[0] == "wang.li" && fields[1] == "duty")
        #expect(fields[2].trimmingCharacters(in: .newlines).count == 64)
        #expect(fields[2].allSatisfy { $0.isHexDigit && !$0.isUppercase || $0 == "\n" })
        #expect(!line.contains(token))
        let mode = try FileManager.default.attributesOfItem(atPath: tokens)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let again = try CampusGuardProcess.run(["token", "add", "wang.li", "--role", "admin", "--config", config])
        #expect(again.status == 1)
        #expect(again.stdout.isEmpty)
        #expect(again.stderr.contains("already has a token named wang.li"))

        let badRole = try CampusGuardProcess.run(["token", "add", "zhao", "--role", "boss", "--config", config])
        #expect(badRole.status != 0)
        #expect(badRole.stderr.contains("viewer, duty, maintenance, admin"))
        #expect(try String(contentsOfFile: tokens, encoding: .utf8) == line)
    }
}
