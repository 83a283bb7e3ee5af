import CampusGuardConfig
import CampusGuardCore
import Foundation
import Testing

@Suite("Shipped device profiles against real sample payloads")
struct ProfileTests {
    static let ids: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: RepositoryPaths.profiles)) ?? [])
        .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()

    @Test("every profile the issue names is shipped")
    func shipped() {
        let required = [
            "heiman-hs1sa", "xiaomi-jtyj-gd-01lm", "aqara-jy-gz-01aq", "heiman-hs1cg", "xiaomi-jtqj-bf-01lm",
            "aqara-wsdcgq11lm", "sonoff-snzb-02", "heiman-hs1eb", "aqara-wxkg11lm", "sonoff-snzb-01",
            "tasmota-ds18b20", "generic-json", "acrel-aim-r100", "honeywell-midas", "xy-md02",
        ]
        #expect(Set(required).isSubset(of: Set(Self.ids)))
    }

    @Test("each profile loads without a problem and has a fixture", arguments: ids)
    func loads(id: String) throws {
        let profile = try ProfileLoader.load(file: "\(RepositoryPaths.profiles)/\(id).yaml")
        #expect(profile.id == id)
        #expect(!profile.channels.isEmpty)
        #expect(FileManager.default.fileExists(atPath: "\(RepositoryPaths.fixtures)/\(id).json"))
    }

    @Test("each profile decodes its device's sample payloads to the expected readings", arguments: ids)
    func samples(id: String) throws {
        let profile = try ProfileLoader.load(file: "\(RepositoryPaths.profiles)/\(id).yaml")
        let device = try Self.device(for: profile)
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(RepositoryPaths.fixtures)/\(id).json"))
        guard case .array(let samples) = try JSONParser.parse(Array(data)) else {
            Issue.record("\(id).json is not a list of samples")
            return
        }
        #expect(!samples.isEmpty)
        for sample in samples {
            guard case .string(let description)? = sample["description"], case .object(let expected)? = sample["expect"]
            else {
                Issue.record("\(id): a sample without description or expect")
                continue
            }
            let readings =
                profile.transport == .modbus
                ? try Self.decodeRegisters(sample, device: device.device)
                : try Self.decodePayload(sample, device: device, description: description)
            let got = Dictionary(uniqueKeysWithValues: readings.map { ($0.channel.description, $0.value) })
            #expect(Set(got.keys) == Set(expected.map(\.key)), "\(id): \(description)")
            for (channel, value) in expected {
                #expect(got[channel] == Self.readingValue(value), "\(id): \(description): \(channel)")
            }
        }
    }

    // MARK: - Helpers

    struct Decoding {
        var device: CampusDevice
        var decoder: PayloadDecoder
    }

    static func device(for profile: DeviceProfile) throws -> Decoding {
        let modbus = profile.transport == .modbus
        let config = SiteConfig(
            site: .init(id: "s", name: "S"),
            buildings: [Building(id: "b", name: "B", kind: .dormitory)],
            devices: [
                DeviceConfig(
                    id: "d1",
                    profile: profile.id,
                    location: LocationPath("b/1/1")!,
                    topic: modbus ? nil : (profile.mqtt?.format == .tasmota ? "tele/d1" : "zigbee2mqtt/d1"),
                    bus: modbus ? "bus" : nil,
                    unit: modbus ? 1 : nil
                )
            ]
        )
        let campus = try Campus(config: config, profiles: [profile.id: profile])
        return Decoding(device: campus.devices[0], decoder: PayloadDecoder(campus: campus))
    }

    static func decodePayload(_ sample: JSONValue, device: Decoding, description: String) throws -> [Reading] {
        let topic: String
        if case .string("availability")? = sample["topic"] {
            topic = try #require(device.device.availabilityTopic, "\(description): no availability topic")
        } else {
            topic = try #require(device.device.stateTopic)
        }
        let payload = try #require(sample["payload"])
        let message = device.decoder.decode(topic: topic, json: payload, at: Instant(millisecondsSinceEpoch: 0))
        // A sample may show bad input on purpose: it lists the problem kinds it must cause.
        var expectedProblems: [String] = []
        if case .array(let kinds)? = sample["problems"] {
            expectedProblems = kinds.compactMap { if case .string(let k) = $0 { k } else { nil } }
        }
        #expect(message.problems.map(\.kind.rawValue).sorted() == expectedProblems.sorted(), "\(description)")
        return message.readings
    }

    static func decodeRegisters(_ sample: JSONValue, device: CampusDevice) throws -> [Reading] {
        guard case .object(let tables)? = sample["registers"] else {
            Issue.record("a Modbus sample without registers")
            return []
        }
        var snapshot = RegisterSnapshot()
        for (tableName, words) in tables {
            let table = try #require(ModbusRegister.Table(rawValue: tableName))
            guard case .object(let entries) = words else { continue }
            for (address, value) in entries {
                guard case .number(let n) = value else { continue }
                snapshot[table, try #require(Int(address))] = UInt16(truncatingIfNeeded: Int(n))
            }
        }
        return RegisterDecoder.readings(device: device, registers: snapshot, at: Instant(millisecondsSinceEpoch: 0))
    }

    static func readingValue(_ json: JSONValue) -> ReadingValue? {
        switch json {
        case .bool(let b): .bool(b)
        case .number(let n): .number(n)
        case .string(let s): .event(s)
        default: nil
        }
    }
}
