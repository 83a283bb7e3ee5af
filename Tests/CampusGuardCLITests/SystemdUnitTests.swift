import CampusGuardTestKit
import Foundation
import Testing

/// The shipped unit, `systemd/campusguard.service`, as systemd's own tools judge it.
@Suite(
    "The systemd unit: systemd-analyze verify and security",
    .enabled(
        if: Tool.find("systemd-analyze") != nil,
        "systemd-analyze is not installed (Debian: the systemd package): the unit's checks are skipped"
    )
)
struct SystemdUnitTests {
    static let unit = Repository.root + "/systemd/campusguard.service"
    static let shippedExecStart = "ExecStart=/usr/local/bin/campusguard run --config /etc/campusguard/campusguard.yaml"
    let dir = TemporaryDirectory("unit")

    var analyze: String { Tool.find("systemd-analyze")! }

    @Test("systemd-analyze security --offline rates the unit at most 2.0, with the network and serial ports allowed")
    func securityScore() async throws {
        let result = try await Tool.run(analyze, ["security", "--offline=true", Self.unit])
        let last = result.stdout.split(separator: "\n").last { $0.contains("Overall exposure level") } ?? ""
        let score = last.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }
        #expect(score != nil, "no score in: \(result.stdout) \(result.stderr)")
        #expect(score ?? 10 <= 2.0, "\(last)")
        let text = try String(contentsOfFile: Self.unit, encoding: .utf8)
        #expect(text.contains("RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX"))
        for device in ["ttyUSB", "ttyS", "ttyACM"] { #expect(text.contains("DeviceAllow=char-\(device) rw")) }
        #expect(!text.contains("PrivateDevices=yes") && !text.contains("PrivateNetwork=yes"))
    }

    @Test("systemd-analyze verify prints nothing: every line of the unit, ExecStart pointed at the built binary")
    func verify() async throws {
        let text = try String(contentsOfFile: Self.unit, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.filter { $0 == Self.shippedExecStart }.count == 1, "the shipped ExecStart line")
        // The installed binary does not exist here; the built one stands in for it. Nothing else changes.
        let binary = Repository.executable
        let copy = lines.map {
            $0 == Self.shippedExecStart
                ? "ExecStart=\(binary) run --config /etc/campusguard/campusguard.yaml" : String($0)
        }
        #expect(zip(lines, copy).filter { $0 != $1 }.count == 1)
        let path = dir.path + "/campusguard.service"
        try copy.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let result = try await Tool.run(analyze, ["verify", path])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")

        // And the check has teeth: an unknown key is reported.
        try (copy.joined(separator: "\n") + "\n[Service]\nWatchdogSecs=30s\n").write(
            toFile: path,
            atomically: true,
            encoding: .utf8
        )
        let broken = try await Tool.run(analyze, ["verify", path])
        #expect(broken.stderr.contains("WatchdogSecs"), "\(broken.stderr)")
    }
}
