import CampusGuardConfig
import CampusGuardCore
import CampusGuardModbus
import CampusGuardTestKit
import Foundation
import Logging
import Testing

extension IntegrationTests {
    /// The Modbus poller against real Modbus TCP servers (libmodbus's server side, in the test).
    @Suite("Modbus polling against real servers", .serialized, .timeLimit(.minutes(2)))
    struct ModbusPollerTests {
        static let root = MQTTSourceTests.root

        /// The example school with its two buses pointed at the test's servers, polled fast.
        static func campus(powerPort: Int, labPort: Int) throws -> Campus {
            var text = try String(contentsOfFile: root + "/Config/campusguard.example.yaml", encoding: .utf8)
            let fast = "poll_interval: 200ms, response_timeout: 200ms, retries: 1"
            text = text.replacingOccurrences(
                of: #"url: "tcp://127.0.0.1:1502", poll_interval: 5s}"#,
                with: #"url: "tcp://127.0.0.1:\#(powerPort)", \#(fast)}"#
            )
            text = text.replacingOccurrences(
                of: #"url: "tcp://127.0.0.1:1503"}"#,
                with: #"url: "tcp://127.0.0.1:\#(labPort)", \#(fast)}"#
            )
            let campus = try ConfigLoader.load(text: text, file: "test.yaml", directory: root + "/Config").campus
            try #require(
                campus.config.modbusBuses.map(\.url) == ["tcp://127.0.0.1:\(powerPort)", "tcp://127.0.0.1:\(labPort)"]
            )
            return campus
        }

        /// Two Modbus TCP servers, one per bus of the example school, and the campus polling them.
        static func servers() throws -> (power: ModbusTestServer, lab: ModbusTestServer, campus: Campus) {
            let power = try ModbusTestServer()
            let lab = try ModbusTestServer()
            try power.start()
            try lab.start()
            return (power, lab, try campus(powerPort: power.port, labPort: lab.port))
        }

        static func poller(_ campus: Campus, bus: String, collector: Collector) throws -> ModbusBusPoller {
            try ModbusBusPoller(
                bus: campus.config.modbusBuses.first { $0.id == bus }!,
                campus: campus,
                logger: .test,
                clock: { Instant(secondsSinceEpoch: Date().timeIntervalSince1970) },
                deliver: collector.deliver
            )
        }

        /// The fixture samples of a Modbus profile: registers to serve, readings expected.
        static func samples(
            _ profile: String
        ) throws -> [(registers: [(String, Int, UInt16)], expect: [String: ReadingValue])] {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(root)/Tests/Fixtures/profiles/\(profile).json"))
            guard case .array(let items) = try JSONParser.parse(Array(data)) else { return [] }
            return items.compactMap { item in
                guard case .object(let tables)? = item["registers"], case .object(let expect)? = item["expect"] else {
                    return nil
                }
                var registers: [(String, Int, UInt16)] = []
                for (table, words) in tables {
                    guard case .object(let entries) = words else { continue }
                    for (address, value) in entries {
                        if case .number(let n) = value, let a = Int(address) {
                            registers.append((table, a, UInt16(truncatingIfNeeded: Int(n))))
                        }
                    }
                }
                var values: [String: ReadingValue] = [:]
                for (k, v) in expect {
                    switch v {
                    case .bool(let b): values[k] = .bool(b)
                    case .number(let n): values[k] = .number(n)
                    default: break
                    }
                }
                return (registers, values)
            }
        }

        static func latest(_ collector: Collector, device: String) -> [String: ReadingValue]? {
            guard let batch = collector.all.last(where: { $0.readings.first?.device == device }) else { return nil }
            return Dictionary(
                batch.readings.map { ($0.channel.description, $0.value) },
                uniquingKeysWith: { _, b in b }
            )
        }

        @Test("the register maps of acrel-aim-r100, honeywell-midas and xy-md02 decode to the fixtures' readings")
        func registerMaps() async throws {
            let (power, lab, campus) = try Self.servers()
            // Every unit answers from the start (a unit the server does not know gets no answer).
            power.set(unit: 1, table: "holding", address: 0, [0])
            power.set(unit: 2, table: "holding", address: 0, [0])
            lab.set(unit: 1, table: "input", address: 0, [0])
            let collector = Collector()
            let pollers = try [
                Self.poller(campus, bus: "power-room", collector: collector),
                Self.poller(campus, bus: "lab-rs485", collector: collector),
            ]
            for p in pollers { p.start() }
            defer { for p in pollers { p.stop() } }
            for (profile, device, server, unit) in [
                ("acrel-aim-r100", "power-rcm-1", power, 1), ("honeywell-midas", "kitchen-gas-meter-1", power, 2),
                ("xy-md02", "lab-201-env-1", lab, 1),
            ] {
                let samples = try Self.samples(profile)
                #expect(!samples.isEmpty, "\(profile)")
                for sample in samples {
                    for (table, address, value) in sample.registers {
                        server.set(unit: unit, table: table, address: address, [value])
                    }
                    let matched = await eventually(timeout: 5) {
                        Self.latest(collector, device: device) == sample.expect
                    }
                    #expect(
                        matched,
                        "\(profile): got \(Self.latest(collector, device: device) ?? [:]), expected \(sample.expect)"
                    )
                }
            }
            #expect(pollers.allSatisfy { $0.counters.failedPolls == 0 })
        }

        @Test("values past the profiles' limits raise alarms; a sentinel value is a fault, not a number")
        func alarmsFromThresholds() async throws {
            let (power, _, campus) = try Self.servers()
            power.set(unit: 1, table: "holding", address: 0x4A, [120, 90, 350])  // loop 3: 350 mA
            power.set(unit: 1, table: "holding", address: 0x4B + 4, [0xFAFA])  // loop 6: open circuit
            let f = Float(28).bitPattern
            power.set(unit: 2, table: "holding", address: 2, [UInt16(f >> 16), UInt16(f & 0xFFFF)])
            let collector = Collector()
            let poller = try Self.poller(campus, bus: "power-room", collector: collector)
            poller.start()
            defer { poller.stop() }
            #expect(await eventually { collector.all.count >= 4 })
            var engine = AlarmEngine(
                campus: campus,
                startedAt: Instant(secondsSinceEpoch: Date().timeIntervalSince1970)
            )
            var events: [Event] = []
            for b in collector.all { for r in b.readings { events += engine.ingest(r, at: b.receivedAt) } }
            #expect(events.contains { $0.kind == .electricalFireRisk && $0.devices == ["power-rcm-1"] })
            #expect(events.contains { $0.kind == .gasLeak && $0.devices == ["kitchen-gas-meter-1"] })
            #expect(
                events.contains { $0.kind == .deviceFault && $0.type == .faultRaised && $0.devices == ["power-rcm-1"] }
            )
            #expect(!collector.readings.contains { $0.channel.description == "residual_current.6" })
        }

        @Test("Modbus exceptions and timeouts: retried, the device lost after its limit, back on the first good answer")
        func exceptionsAndTimeouts() async throws {
            let (power, lab, campus) = try Self.servers()
            power.set(unit: 1, table: "holding", address: 0x4A, [100])
            power.set(unit: 2, table: "holding", address: 0, [0])
            power.setException(unit: 2, 2)  // illegal data address
            lab.set(unit: 1, table: "input", address: 1, [215, 450])
            lab.setSilent(unit: 1, true)
            let collector = Collector()
            let pollers = try [
                Self.poller(campus, bus: "power-room", collector: collector),
                Self.poller(campus, bus: "lab-rs485", collector: collector),
            ]
            for p in pollers { p.start() }
            defer { for p in pollers { p.stop() } }
            func lost(_ device: String) -> Bool {
                collector.readings.contains {
                    $0.device == device && $0.channel.kind == .availability && $0.value == .bool(false)
                }
            }
            #expect(await eventually(timeout: 10) { lost("kitchen-gas-meter-1") && lost("lab-201-env-1") })
            #expect(!lost("power-rcm-1"), "a failing unit does not take the others of its bus down")
            #expect(pollers[0].counters.exceptions >= 3)
            #expect(pollers[1].counters.timeouts >= 3)
            #expect(pollers.allSatisfy { $0.counters.busLost == 0 }, "the bus itself answers: no bus fault")
            power.setException(unit: 2, nil)
            lab.setSilent(unit: 1, false)
            #expect(
                await eventually(timeout: 40) {
                    Self.latest(collector, device: "lab-201-env-1")?["temperature"] == .number(21.5)
                }
            )
            #expect(
                await eventually(timeout: 40) { Self.latest(collector, device: "kitchen-gas-meter-1")?["gas.2"] != nil }
            )
        }

        @Test("a server killed and restarted: ONE fault of the bus, raised and cleared; its state follows")
        func serverRestart() async throws {
            let (power, _, campus) = try Self.servers()
            power.set(unit: 1, table: "holding", address: 0x4A, [100])
            power.set(unit: 2, table: "holding", address: 0, [0])
            let collector = Collector()
            let poller = try Self.poller(campus, bus: "power-room", collector: collector)
            poller.start()
            defer { poller.stop() }
            #expect(await eventually { collector.all.count >= 2 })
            #expect(poller.busState.up && poller.busState.reason == nil)
            power.stop()
            #expect(await eventually(timeout: 15) { collector.all.contains { $0.bridgeState?.online == false } })
            #expect(!poller.busState.up)
            #expect(poller.busState.reason != nil)
            let restarted = try ModbusTestServer(port: power.port)
            restarted.set(unit: 1, table: "holding", address: 0x4A, [101])
            restarted.set(unit: 2, table: "holding", address: 0, [0])
            try restarted.start()
            defer { restarted.stop() }
            #expect(
                await eventually(timeout: 40) {
                    Self.latest(collector, device: "power-rcm-1")?["residual_current.1"] == .number(101)
                }
            )
            var engine = AlarmEngine(campus: campus, startedAt: collector.all[0].receivedAt)
            var events: [Event] = []
            for b in collector.all {
                if let s = b.bridgeState { events += engine.bridge(s, at: b.receivedAt) }
                for r in b.readings { events += engine.ingest(r, at: b.receivedAt) }
            }
            let faults = events.filter { $0.kind == .deviceFault }
            #expect(faults.map(\.type) == [.faultRaised, .faultCleared])
            #expect(faults.first?.reason == "bus_offline")
            #expect(Set(faults.first?.devices ?? []) == ["power-rcm-1", "kitchen-gas-meter-1"])
            #expect(poller.counters.connects >= 2)
            #expect(poller.busState.up, "\(poller.busState)")
        }

        @Test("1,000 registers across 20 devices, read in coalesced requests")
        func thousandRegisters() async throws {
            let server = try ModbusTestServer()
            try server.start()
            var channels: [ChannelID: ChannelDecoding] = [:]
            for i in 0..<50 {
                channels[ChannelID(.temperature, index: i)] = ChannelDecoding(
                    type: .number,
                    scale: 0.1,
                    register: ModbusRegister(table: .holding, address: 100 + i * 2, dataType: .int16)
                )
            }
            let profile = DeviceProfile(
                id: "test-50",
                vendor: "T",
                model: "50",
                transport: .modbus,
                modbus: ModbusOptions(maxGap: 8),
                reportInterval: .seconds(30),
                channels: channels
            )
            #expect(
                ModbusReadPlan.requests(for: profile) == [ModbusReadRequest(table: .holding, address: 100, count: 99)]
            )
            let config = SiteConfig(
                site: .init(id: "s", name: "S"),
                buildings: [Building(id: "p", name: "P", kind: .powerRoom)],
                devices: (1...20).map { (n: Int) in
                    DeviceConfig(
                        id: "m\(n)",
                        profile: "test-50",
                        location: LocationPath("p/1/\(n)")!,
                        bus: "b",
                        unit: n
                    )
                },
                modbusBuses: [
                    SiteConfig.ModbusBus(id: "b", url: "tcp://127.0.0.1:\(server.port)", pollInterval: .seconds(1))
                ]
            )
            let campus = try Campus(config: config, profiles: ["test-50": profile])
            for unit in 1...20 {
                for i in 0..<50 {
                    server.set(unit: unit, table: "holding", address: 100 + i * 2, [UInt16(unit * 100 + i)])
                }
            }
            let collector = Collector()
            let poller = try ModbusBusPoller(
                bus: config.modbusBuses[0],
                campus: campus,
                logger: .test,
                clock: { Instant(secondsSinceEpoch: Date().timeIntervalSince1970) },
                deliver: collector.deliver
            )
            poller.start()
            defer { poller.stop() }
            #expect(await eventually { Set(collector.all.compactMap { $0.readings.first?.device }).count == 20 })
            for unit in 1...20 {
                let got = try #require(Self.latest(collector, device: "m\(unit)"))
                #expect(got.count == 50)
                for i in 0..<50 { #expect(got["temperature.\(i)"] == .number(Double(unit * 100 + i) / 10)) }
            }
        }

        @Test("Modbus RTU over a pseudo-terminal pair (socat): the serial path reads a real RTU device")
        func rtuOverPseudoTerminal() async throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-rtu-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let device = try ModbusRTUTestDevice(unit: 1, directory: dir)
            defer { device.stop() }
            device.set(input: 1, [215, 452])  // XY-MD02: 21.5 °C, 45.2 %RH
            var text = try String(contentsOfFile: Self.root + "/Config/campusguard.example.yaml", encoding: .utf8)
            text = text.replacingOccurrences(
                of: #"url: "tcp://127.0.0.1:1503"}"#,
                with:
                    #"url: "rtu://\#(device.gatewayPath)?baud=9600&parity=N&data=8&stop=1", poll_interval: 200ms, response_timeout: 500ms}"#
            )
            let campus = try ConfigLoader.load(text: text, file: "test.yaml", directory: Self.root + "/Config").campus
            let collector = Collector()
            let poller = try Self.poller(campus, bus: "lab-rs485", collector: collector)
            #expect(poller.endpoint.isSerial)
            poller.start()
            defer { poller.stop() }
            #expect(
                await eventually {
                    Self.latest(collector, device: "lab-201-env-1") == [
                        "temperature": .number(21.5), "humidity": .number(45.2),
                    ]
                }
            )
            #expect(poller.counters.failedPolls == 0)
            #expect(device.requests >= 1)
        }
    }
}
