import CampusGuardCore
import CampusGuardModbus
import CampusGuardTestKit
import Foundation
import Testing

extension IntegrationTests {
    @Suite("Modbus pollers take a reloaded device set", .serialized, .timeLimit(.minutes(2)))
    struct ModbusReloadTests {
        static func without(_ id: String, _ campus: Campus) throws -> Campus {
            var config = campus.config
            config.devices.removeAll { $0.id == id }
            return try Campus(config: config, profiles: campus.profiles)
        }

        static func batches(_ collector: Collector, _ device: String) -> Int {
            collector.all.filter { $0.readings.first?.device == device }.count
        }

        @Test("a device added to a running bus is polled; a device removed is polled no more")
        func deviceSet() async throws {
            let (power, _, campus) = try ModbusPollerTests.servers()
            power.set(unit: 1, table: "holding", address: 0, [0])
            power.set(unit: 2, table: "holding", address: 0, [0])
            let collector = Collector()
            let poller = try ModbusPollerTests.poller(
                try Self.without("kitchen-gas-meter-1", campus),
                bus: "power-room",
                collector: collector
            )
            poller.start()
            defer { poller.stop() }
            #expect(await eventually { Self.batches(collector, "power-rcm-1") >= 3 })
            #expect(Self.batches(collector, "kitchen-gas-meter-1") == 0, "not on the bus yet")

            poller.reconfigure(campus: campus)
            #expect(await eventually { Self.batches(collector, "kitchen-gas-meter-1") >= 2 })

            poller.reconfigure(campus: try Self.without("power-rcm-1", campus))
            let gas = Self.batches(collector, "kitchen-gas-meter-1")
            #expect(await eventually { Self.batches(collector, "kitchen-gas-meter-1") >= gas + 2 })
            let rcm = Self.batches(collector, "power-rcm-1")
            #expect(await eventually { Self.batches(collector, "kitchen-gas-meter-1") >= gas + 5 })
            #expect(Self.batches(collector, "power-rcm-1") == rcm, "removed: no more polls")
        }
    }
}
