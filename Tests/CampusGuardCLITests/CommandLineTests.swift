import CampusGuardTestKit
import Foundation
import Testing

/// Runs the built `campusguard` executable as a user would.
enum CampusGuardProcess {
    static let root = Repository.root

    static var executable: String { Repository.executable }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], stdin: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }
}

@Suite("The campusguard command line", .serialized)
struct CommandLineTests {
    @Test("the executable is built beside the tests")
    func executableExists() {
        #expect(
            FileManager.default.isExecutableFile(atPath: CampusGuardProcess.executable),
            "run `swift build` first: \(CampusGuardProcess.executable)"
        )
    }

    @Test("check-config: a valid config prints a one-line summary and exits 0")
    func checkConfigValid() throws {
        let r = try CampusGuardProcess.run(["check-config", "--config", "Config/campusguard.example.yaml"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("ok: Config/campusguard.example.yaml: site demo-school"))
        #expect(r.stdout.split(separator: "\n").count == 1)
        #expect(r.stderr.isEmpty)
    }

    @Test("check-config: an invalid config prints FILE:LINE:COLUMN lines and exits non-zero")
    func checkConfigInvalid() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cg-bad-\(UUID().uuidString).yaml")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "site: {id: demo, name: Demo}\nlocations: [{id: a, name: A, kind: castle}]\ndevices: []\nsurprise: 1\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CampusGuardProcess.run(["check-config", "--config", path])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("\(path):2:36: locations[0].kind \"castle\" is not one of"))
        #expect(r.stderr.contains("\(path):4:1: unknown key surprise"))
        #expect(r.stderr.contains("2 problems found"))
    }

    @Test("replay: events as JSON Lines on stdout, bad lines on stderr with their number, exit 0")
    func replayProcess() throws {
        let input = """
            {"ts":"2026-11-20T22:00:00+08:00","topic":"zigbee2mqtt/gate-panic-1","payload":{"action":"single"}}
            {"ts":"2026-11-20T22:00:01+08:00","topic":"zigbee2mqtt/dorm-a-301-smoke-1","payload":"{\\"smoke\\":true}"}
            this line is broken
            """
        let r = try CampusGuardProcess.run(
            [
                "replay", "--config", "Config/campusguard.example.yaml", "--input", "-", "--until",
                "2026-11-20T22:01:30+08:00",
            ],
            stdin: input
        )
        #expect(r.status == 0)
        let events = r.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(events.map { $0["type"] as? String } == ["alarm.raised", "alarm.raised", "alarm.updated"])
        #expect(events.map { $0["kind"] as? String } == ["panic", "smoke", "fire"])
        #expect(events.allSatisfy { $0["alarm"] != nil && $0["devices"] != nil && $0["location"] != nil })
        #expect(r.stderr.contains("stdin:3: not JSON"))
        #expect(r.stderr.contains("replayed 3 lines (1 skipped), 3 events"))
    }

    @Test("replay: a missing input file or a bad --until is a clear error")
    func replayErrors() throws {
        let missing = try CampusGuardProcess.run([
            "replay", "--config", "Config/campusguard.example.yaml", "--input", "/nonexistent.jsonl",
        ])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("/nonexistent.jsonl: cannot open the input file"))
        let until = try CampusGuardProcess.run(
            ["replay", "--config", "Config/campusguard.example.yaml", "--input", "-", "--until", "tomorrow"],
            stdin: ""
        )
        #expect(until.status != 0)
        #expect(until.stderr.contains("is not an RFC 3339 timestamp"))
    }
}
