// Workloads for the engine benchmarks: a synthetic campus built in code from the shipped device
// profiles, and a deterministic stream of realistic Zigbee2MQTT messages for it.
//
// The campus has one HEIMAN HS1SA smoke detector and one Aqara WSDCGQ11LM temperature sensor per
// room, 25 rooms a floor, 5 floors a building, and one Zigbee2MQTT bridge per building. Every
// device reports once per simulated minute, in a shuffled order. Values drift like real ones
// (temperature and humidity random walks, slowly draining batteries, varying link quality) and
// now and then cross a limit: a heat spike to 57–62 °C (overheat, rate of rise), a smoke alarm,
// a self-test, a tamper, a few sensors with a low battery. So the engine evaluates thresholds,
// correlates rooms and raises, updates and clears alarms, as it would in service.

import CampusGuardConfig
import BenchmarkPayloads
import CampusGuardCore
import Foundation

enum Fixtures {
    static let smokeProfile = "heiman-hs1sa"
    static let climateProfile = "aqara-wsdcgq11lm"
    static let roomsPerFloor = 25
    static let floorsPerBuilding = 5
    /// Simulated time of one round, in which every device reports once.
    static let roundMilliseconds: Int64 = 60_000
    /// The engine's clock starts here (2026-01-05T08:00:00Z).
    static let epoch: Int64 = 1_767_600_000_000

    /// `DeviceProfiles/` of the repository, found from this file's path; `CAMPUSGUARD_PROFILE_DIR` overrides.
    static var profileDirectory: String {
        if let dir = getenv("CAMPUSGUARD_PROFILE_DIR").map({ String(cString: $0) }), !dir.isEmpty { return dir }
        // …/Benchmarks/Benchmarks/EngineBenchmarks/Fixtures.swift → repository root.
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/") + "/DeviceProfiles"
    }

    static func profiles() throws -> [String: DeviceProfile] {
        var out: [String: DeviceProfile] = [:]
        for id in [smokeProfile, climateProfile] {
            out[id] = try ProfileLoader.load(file: "\(profileDirectory)/\(id).yaml")
        }
        return out
    }

    /// A campus of `devices` devices (even: a smoke detector and a temperature sensor per room).
    static func campus(devices count: Int) throws -> Campus {
        let kinds: [LocationKind] = [.dormitory, .classroom, .library, .canteen, .laboratory, .office]
        let rooms = (count + 1) / 2
        let roomsPerBuilding = roomsPerFloor * floorsPerBuilding
        let buildingCount = (rooms + roomsPerBuilding - 1) / roomsPerBuilding
        var buildings: [Building] = []
        for b in 0..<buildingCount {
            let kind = kinds[b % kinds.count]
            buildings.append(Building(id: "\(kind.rawValue)-\(b + 1)", name: "\(kind.rawValue) \(b + 1)", kind: kind))
        }
        var devices: [DeviceConfig] = []
        devices.reserveCapacity(count)
        for r in 0..<rooms {
            let building = buildings[r / roomsPerBuilding]
            let floor = (r % roomsPerBuilding) / roomsPerFloor + 1
            let room = "\(floor)\(r % roomsPerFloor + 1 < 10 ? "0" : "")\(r % roomsPerFloor + 1)"
            let location = LocationPath(building: building.id, floor: "\(floor)", room: room)
            for (suffix, profile) in [("smoke", smokeProfile), ("temp", climateProfile)] where devices.count < count {
                let id = "\(building.id)-\(room)-\(suffix)"
                devices.append(
                    DeviceConfig(
                        id: id, profile: profile, location: location, topic: "z2m-\(building.id)/\(id)"))
            }
        }
        let config = SiteConfig(
            site: .init(id: "bench", name: "Benchmark campus"), buildings: buildings, devices: devices)
        return try Campus(config: config, profiles: profiles())
    }

    /// One MQTT message of the stream: its topic, payload bytes, and when it arrives after the
    /// start of the pass.
    struct Message {
        var topic: String
        var payload: [UInt8]
        var offset: Int64
    }

    /// `rounds` rounds of messages from every device of the campus, deterministic for a seed.
    static func messages(for campus: Campus, rounds: Int, seed: UInt64 = 0x00C0_FFEE) -> [Message] {
        var rng = SplitMix64(seed: seed)
        var states = campus.devices.map { DeviceSim(smoke: $0.profile.id == Fixtures.smokeProfile, rng: &rng) }
        var order = Array(states.indices)
        var out: [Message] = []
        out.reserveCapacity(rounds * states.count)
        for round in 0..<rounds {
            order.shuffle(using: &rng)
            for (position, i) in order.enumerated() {
                let offset = Int64(round) * roundMilliseconds + Int64(position) * roundMilliseconds / Int64(order.count)
                let payload = states[i].nextPayload(rng: &rng)
                out.append(Message(topic: campus.devices[i].stateTopic!, payload: Array(payload.utf8), offset: offset))
            }
        }
        return out
    }

    /// The readings the decoder makes of the messages, stamped with each message's offset.
    static func decodedReadings(of messages: [Message], campus: Campus) -> [Reading] {
        let decoder = PayloadDecoder(campus: campus)
        var out: [Reading] = []
        for m in messages {
            let decoded = decoder.decode(topic: m.topic, payload: m.payload, at: Instant(millisecondsSinceEpoch: m.offset))
            precondition(decoded.problems.isEmpty, "fixture payload did not decode: \(decoded.problems)")
            out.append(contentsOf: decoded.readings)
        }
        return out
    }
}
