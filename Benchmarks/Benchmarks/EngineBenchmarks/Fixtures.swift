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
import CampusGuardCore

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
        var states = campus.devices.map { DeviceSim(device: $0, rng: &rng) }
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

/// One simulated device: its drifting values and the occasional incident.
struct DeviceSim {
    enum Kind { case smoke, climate }

    let kind: Kind
    var battery: Double
    var voltage: Int
    // Climate sensor.
    var baseTemperature = 0.0
    var temperature = 0.0
    var humidity = 0.0
    var pressure = 1008
    var heatSpike: [Double] = []
    // Smoke detector.
    var smokeFor = 0

    init(device: CampusDevice, rng: inout SplitMix64) {
        kind = device.profile.id == Fixtures.smokeProfile ? .smoke : .climate
        // About 1 % of the devices run on a low battery (a standing low_battery fault).
        battery = rng.chance(1, in: 100) ? Double(rng.int(in: 10...14)) : Double(rng.int(in: 55...100))
        voltage = 2_800 + Int(battery) * 3
        baseTemperature = rng.double(in: 19...25)
        temperature = baseTemperature
        humidity = rng.double(in: 35...60)
        pressure = rng.int(in: 995...1_015)
    }

    mutating func nextPayload(rng: inout SplitMix64) -> String {
        if rng.chance(1, in: 200), battery > 1 { battery -= 1 }
        if rng.chance(1, in: 10) { voltage = 2_800 + Int(battery) * 3 + rng.int(in: -15...15) }
        let linkquality = rng.int(in: 30...210)
        switch kind {
        case .smoke:
            // Smoke for two reports now and then; a self-test or a tamper more rarely.
            if smokeFor == 0, rng.chance(1, in: 800) { smokeFor = 2 }
            let test = smokeFor == 0 && rng.chance(1, in: 4_000)
            let smoke = smokeFor > 0 || test
            if smokeFor > 0 { smokeFor -= 1 }
            let tamper = rng.chance(1, in: 5_000)
            let lowBattery = battery < 15
            return #"{"battery":\#(Int(battery)),"battery_low":\#(lowBattery),"linkquality":\#(linkquality),"#
                + #""smoke":\#(smoke),"tamper":\#(tamper),"test":\#(test),"trouble":false,"voltage":\#(voltage)}"#
        case .climate:
            // A heat spike (57–62 °C over three reports) now and then, else a bounded random walk.
            if heatSpike.isEmpty, rng.chance(1, in: 400) {
                heatSpike = [rng.double(in: 57...59), rng.double(in: 60...62), rng.double(in: 57...59)]
            }
            let reported: Double
            if !heatSpike.isEmpty {
                reported = heatSpike.removeFirst()
                temperature = baseTemperature
            } else {
                temperature = min(max(temperature + rng.double(in: -0.3...0.3), baseTemperature - 3), baseTemperature + 3)
                reported = temperature
            }
            humidity = min(max(humidity + rng.double(in: -0.8...0.8), 20), 90)
            if rng.chance(1, in: 5) { pressure += rng.int(in: -1...1) }
            return #"{"temperature":\#(fixed(reported, 2)),"humidity":\#(fixed(humidity, 1)),"pressure":\#(pressure),"#
                + #""battery":\#(Int(battery)),"voltage":\#(voltage),"linkquality":\#(linkquality)}"#
        }
    }
}

/// `22.47`, as Zigbee2MQTT prints it: a fixed number of decimals, trailing zeros dropped.
func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1
    for _ in 0..<decimals { scale *= 10 }
    let n = Int((value * Double(scale)).rounded())
    let sign = n < 0 ? "-" : ""
    let whole = abs(n) / scale
    var fraction = abs(n) % scale
    var digits = decimals
    while digits > 0, fraction % 10 == 0 {
        fraction /= 10
        digits -= 1
    }
    guard digits > 0 else { return "\(sign)\(whole)" }
    var f = String(fraction)
    while f.count < digits { f = "0" + f }
    return "\(sign)\(whole).\(f)"
}

/// A small deterministic generator, so every run measures the same stream.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ k: Int, in n: Int) -> Bool { Int.random(in: 0..<n, using: &self) < k }
    mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func double(in range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
