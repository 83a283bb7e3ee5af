import CampusGuardCore
import Testing

@Suite("Decoding Modbus registers by profile")
struct RegisterDecoderTests {
    let profile = DeviceProfile(
        id: "test-modbus",
        vendor: "Test",
        model: "M",
        transport: .modbus,
        modbus: ModbusOptions(),
        channels: [
            ChannelID(.temperature): ChannelDecoding(
                type: .number,
                scale: 0.1,
                register: ModbusRegister(table: .input, address: 1, dataType: .int16)
            ),
            ChannelID(.gas): ChannelDecoding(
                type: .number,
                register: ModbusRegister(table: .holding, address: 10, dataType: .float32)
            ),
            ChannelID(.co): ChannelDecoding(
                type: .number,
                register: ModbusRegister(table: .holding, address: 20, dataType: .uint32, wordOrder: .little)
            ),
            ChannelID(.residualCurrent, index: 1): ChannelDecoding(
                type: .number,
                register: ModbusRegister(
                    table: .holding,
                    address: 30,
                    dataType: .uint16,
                    sentinels: [0xFAFA: "open_circuit"]
                )
            ),
            ChannelID(.fault, index: 1): ChannelDecoding(
                type: .bool,
                register: ModbusRegister(table: .holding, address: 40, dataType: .bits, bit: 3)
            ),
            ChannelID(.smoke): ChannelDecoding(
                type: .bool,
                register: ModbusRegister(table: .discreteInput, address: 0, dataType: .bool)
            ),
        ]
    )

    func device() throws -> CampusDevice {
        let config = SiteConfig(
            site: .init(id: "s", name: "S"),
            buildings: [Building(id: "p", name: "P", kind: .powerRoom)],
            devices: [
                DeviceConfig(id: "m1", profile: "test-modbus", location: LocationPath("p/1/1")!, bus: "b", unit: 1)
            ]
        )
        return try #require(try Campus(config: config, profiles: ["test-modbus": profile]).device("m1"))
    }

    @Test("int16 with scale, float32 big-endian, uint32 little word order, bits and discrete inputs")
    func types() throws {
        var regs = RegisterSnapshot()
        regs[.input, 1] = UInt16(bitPattern: -125)  // -12.5 °C
        let f = Float(23.5).bitPattern
        regs[.holding, 10] = UInt16(f >> 16)
        regs[.holding, 11] = UInt16(f & 0xFFFF)
        regs[.holding, 20] = 0x0001  // low word first
        regs[.holding, 21] = 0x0000
        regs[.holding, 30] = 180
        regs[.holding, 40] = 0b1000
        regs[.discreteInput, 0] = 1
        let readings = RegisterDecoder.readings(
            device: try device(),
            registers: regs,
            at: Instant(millisecondsSinceEpoch: 0)
        )
        let byChannel = Dictionary(uniqueKeysWithValues: readings.map { ($0.channel.description, $0.value) })
        #expect(byChannel["temperature"] == .number(-12.5))
        #expect(byChannel["gas"] == .number(23.5))
        #expect(byChannel["co"] == .number(1))
        #expect(byChannel["residual_current.1"] == .number(180))
        #expect(byChannel["fault.1"] == .bool(true))
        #expect(byChannel["smoke"] == .bool(true))
        #expect(readings.allSatisfy { $0.source == .modbus })
    }

    @Test("a sentinel value is a fault of the point, never a number, even when its status bit is clear")
    func sentinel() throws {
        var regs = RegisterSnapshot()
        regs[.holding, 30] = 0xFAFA
        regs[.holding, 40] = 0
        let readings = RegisterDecoder.readings(
            device: try device(),
            registers: regs,
            at: Instant(millisecondsSinceEpoch: 0)
        )
        #expect(readings.map(\.channel.description) == ["fault.1"])
        #expect(readings.first?.value == .bool(true))
    }

    @Test("missing registers give no reading; a NaN float is a fault")
    func missingAndNaN() throws {
        var regs = RegisterSnapshot()
        regs[.holding, 10] = 0x7FC0
        regs[.holding, 11] = 0
        let readings = RegisterDecoder.readings(
            device: try device(),
            registers: regs,
            at: Instant(millisecondsSinceEpoch: 0)
        )
        #expect(readings.map(\.channel.description) == ["fault"])
    }
}

@Suite("Planning Modbus reads")
struct ModbusReadPlanTests {
    func profile(_ registers: [(ModbusRegister.Table, Int, ModbusRegister.DataType)], maxGap: Int = 8) -> DeviceProfile
    {
        var channels: [ChannelID: ChannelDecoding] = [:]
        for (i, r) in registers.enumerated() {
            channels[ChannelID(.temperature, index: i)] = ChannelDecoding(
                type: .number,
                register: ModbusRegister(table: r.0, address: r.1, dataType: r.2)
            )
        }
        return DeviceProfile(
            id: "p",
            vendor: "v",
            model: "m",
            transport: .modbus,
            modbus: ModbusOptions(maxGap: maxGap),
            channels: channels
        )
    }

    @Test("nearly contiguous registers are one request; far apart or other tables are separate")
    func coalescing() {
        let plan = ModbusReadPlan.requests(
            for: profile([
                (.holding, 10, .uint16), (.holding, 12, .float32), (.holding, 20, .uint16), (.holding, 200, .int16),
                (.input, 1, .int16), (.input, 2, .uint16), (.coil, 5, .bool),
            ])
        )
        #expect(
            plan == [
                ModbusReadRequest(table: .coil, address: 5, count: 1),
                ModbusReadRequest(table: .holding, address: 10, count: 11),
                ModbusReadRequest(table: .holding, address: 200, count: 1),
                ModbusReadRequest(table: .input, address: 1, count: 2),
            ]
        )
    }

    @Test("no request is longer than the protocol's 125 registers")
    func limit() {
        let plan = ModbusReadPlan.requests(for: profile((0..<200).map { (.holding, $0, .uint16) }))
        #expect(plan.map(\.count) == [125, 75])
        #expect(plan.allSatisfy { $0.count <= 125 })
    }

    @Test("max_gap 0 merges only adjacent registers")
    func noGap() {
        let plan = ModbusReadPlan.requests(
            for: profile([(.holding, 0, .uint16), (.holding, 1, .uint16), (.holding, 3, .uint16)], maxGap: 0)
        )
        #expect(plan.map(\.count) == [2, 1])
    }
}
