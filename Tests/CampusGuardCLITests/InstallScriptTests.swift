import CampusGuardTestKit
import Foundation
import Testing

/// `scripts/install.sh` into a staging directory (DESTDIR), with the built binary.
@Suite("scripts/install.sh", .serialized)
struct InstallScriptTests {
    let dir = TemporaryDirectory("install")
    static let script = Repository.root + "/scripts/install.sh"

    func install(prefix: String) async throws -> Tool.Result {
        try await Tool.run(
            "/bin/bash",
            [Self.script, "--binary", Repository.executable],
            in: Repository.root,
            environment: ["DESTDIR": dir.path + "/root", "PREFIX": prefix]
        )
    }

    @Test(
        "installs the binary, profiles, docs, unit, user and config; the installed binary accepts the installed config"
    )
    func stagedInstall() async throws {
        let result = try await install(prefix: "/opt/campusguard")
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let root = dir.path + "/root"
        let files = FileManager.default
        let binary = root + "/opt/campusguard/bin/campusguard"
        #expect(files.isExecutableFile(atPath: binary))
        let profiles =
            (try? files.contentsOfDirectory(atPath: root + "/opt/campusguard/share/campusguard/profiles")) ?? []
        let shipped = (try? files.contentsOfDirectory(atPath: Repository.root + "/DeviceProfiles")) ?? []
        #expect(Set(profiles) == Set(shipped.filter { $0.hasSuffix(".yaml") }) && !profiles.isEmpty)
        for path in [
            "/opt/campusguard/share/doc/campusguard/systemd.md", "/opt/campusguard/lib/sysusers.d/campusguard.conf",
            "/etc/campusguard/campusguard.yaml", "/etc/campusguard/tokens",
        ] {
            #expect(files.fileExists(atPath: root + path), "\(path)")
        }
        let credentials = try files.attributesOfItem(atPath: root + "/etc/campusguard/credentials")
        #expect((credentials[.posixPermissions] as? Int) == 0o700)
        // Not empty, so that `token add` keeps its 0640 (the daemon reads it as its group).
        let tokens = try files.attributesOfItem(atPath: root + "/etc/campusguard/tokens")
        #expect((tokens[.posixPermissions] as? Int) == 0o640 && (tokens[.size] as? Int ?? 0) > 0)
        let unit = try String(contentsOfFile: root + "/etc/systemd/system/campusguard.service", encoding: .utf8)
        #expect(
            unit.contains("ExecStart=/opt/campusguard/bin/campusguard run --config /etc/campusguard/campusguard.yaml")
        )
        #expect(!unit.contains("/usr/local"))

        // From / (no DeviceProfiles in the working directory): the profiles are found beside the binary.
        let check = try await Tool.run(
            binary,
            ["check-config", "--config", root + "/etc/campusguard/campusguard.yaml"]
        )
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.hasPrefix("ok: "))
    }

    @Test("a second install keeps the site's config and tokens; a bad argument is refused")
    func keepsConfig() async throws {
        #expect(try await install(prefix: "/usr/local").status == 0)
        let config = dir.path + "/root/etc/campusguard/campusguard.yaml"
        try "site: {id: ours}\n".write(toFile: config, atomically: true, encoding: .utf8)
        let again = try await install(prefix: "/usr/local")
        #expect(again.status == 0)
        #expect(again.stdout.contains("keeping"))
        #expect(try String(contentsOfFile: config, encoding: .utf8) == "site: {id: ours}\n")
        let bad = try await Tool.run("/bin/bash", [Self.script, "--frobnicate"], in: Repository.root)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("unknown argument"))
    }
}
