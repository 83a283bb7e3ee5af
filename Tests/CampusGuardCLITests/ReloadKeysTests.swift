import CampusGuardCore
import CampusGuardTestKit
import Testing

@testable import CampusGuardCLI

@Suite("Reload: what waits for a restart")
struct ReloadKeysTests {
    static func config(_ edit: (inout SiteConfig) -> Void = { _ in }) -> SiteConfig {
        var c = TestCampus.make([("t1", "test-temperature", "dorm-a/3/301")]).config
        c.mqttBrokers = [SiteConfig.MQTTBroker(id: "local", url: "mqtt://127.0.0.1:1883")]
        edit(&c)
        return c
    }

    @Test("the fixed parts keep their running values and are named; devices and engine settings go through")
    func fixedParts() {
        let running = Self.config()
        let reloaded = Self.config { c in
            c.site.timezone = "Europe/Berlin"
            c.mqttBrokers = [
                SiteConfig.MQTTBroker(id: "local", url: "mqtt://10.0.0.1:1883"),
                SiteConfig.MQTTBroker(id: "second", url: "mqtt://10.0.0.2:1883"),
            ]
            c.api.listen = "0.0.0.0:9090"
            c.engine.correlationWindow = .seconds(42)
            c.devices.append(DeviceConfig(id: "t2", profile: "test-temperature", location: LocationPath("dorm-b/1/1")!))
        }
        let (applied, keys) = reloaded.keepingFixedParts(of: running)
        #expect(keys == ["site.timezone", "mqtt.brokers.local", "mqtt.brokers.second", "api"])
        #expect(applied.site.timezone == running.site.timezone)
        #expect(applied.mqttBrokers == running.mqttBrokers)
        #expect(applied.api == running.api)
        #expect(applied.engine.correlationWindow == .seconds(42))
        #expect(applied.devices.map(\.id) == ["t1", "t2"])
    }

    @Test("an unchanged config needs no restart; a removed broker is named")
    func unchanged() {
        let running = Self.config()
        #expect(running.keepingFixedParts(of: running).restartNeeded.isEmpty)
        let (_, keys) = Self.config { $0.mqttBrokers = [] }.keepingFixedParts(of: running)
        #expect(keys == ["mqtt.brokers.local"])
    }
}
