import CampusGuardConfig
import CampusGuardCore
import Foundation
import Testing

@Suite("Config: enabled: false")
struct DeviceEnabledTests {
    static func config(_ extra: String) -> String {
        """
        site: {id: demo, name: Demo}
        locations: [{id: dorm-a, name: Dormitory A, kind: dormitory}]
        devices:
          - {id: smoke-1, profile: heiman-hs1sa, location: dorm-a/3/301, topic: z2m/smoke-1}
          - {id: smoke-2, profile: heiman-hs1sa, location: dorm-a/3/302, topic: z2m/smoke-2, enabled: false}
        \(extra)
        """
    }

    func load(_ text: String) throws(ConfigError) -> LoadedConfig {
        try ConfigLoader.load(text: text, file: "test.yaml", directory: RepositoryPaths.root + "/Config")
    }

    @Test("enabled defaults to true; enabled: false switches a device off")
    func readsEnabled() throws {
        let loaded = try load(Self.config(""))
        #expect(loaded.config.devices.map(\.enabled) == [true, false])
    }

    @Test("a panic button with enabled: false is refused at FILE:LINE:COLUMN; a bad value too")
    func panicButtonCannotBeDisabled() {
        let text = Self.config(
            "  - {id: gate-panic-1, profile: heiman-hs1eb, location: dorm-a/1/lobby, topic: z2m/panic, enabled: false}"
        )
        #expect(throws: ConfigError.self) { try load(text) }
        let problems = (try? load(text)).map { _ in [String]() } ?? diagnostics(text)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.hasPrefix("test.yaml:6:") == true, "\(problems)")
        #expect(problems.first?.contains("devices[2].enabled") == true, "\(problems)")
        #expect(problems.first?.contains("panic button") == true, "\(problems)")
        let bad = diagnostics(Self.config("").replacing("enabled: false", with: "enabled: nope"))
        #expect(bad.count == 1 && bad.first?.contains("must be true or false") == true, "\(bad)")
    }

    func diagnostics(_ text: String) -> [String] {
        do {
            _ = try load(text)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }
}
