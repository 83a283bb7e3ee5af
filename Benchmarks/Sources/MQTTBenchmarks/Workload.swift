// The campus and the message streams of the MQTT benchmark.
//
// 10,000 Zigbee2MQTT sensors (one HEIMAN HS1SA smoke detector and one Aqara WSDCGQ11LM
// temperature sensor in each of 5,000 rooms: 40 buildings, 5 floors, 25 rooms a floor) and 1,100
// HEIMAN HS1EB panic buttons, every device on `zigbee2mqtt/<id>`, as a real deployment names them.
// The campus is written as campusguard.yaml text and loaded by `ConfigLoader`, exactly as
// `campusguard run` loads its config. The sensors' payloads drift like real ones and now and then
// cross a limit; the generator is the one of the engine benchmarks (EngineBenchmarks/Fixtures.swift),
// adapted to these topics.

import CampusGuardConfig
import CampusGuardCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum Workload {
    static let smokeProfile = "heiman-hs1sa"
    static let climateProfile = "aqara-wsdcgq11lm"
    static let buttonProfile = "heiman-hs1eb"
    static let buildings = 40
    static let floors = 5
    static let roomsPerFloor = 25
    /// 1,000 for the latency run, the rest are end markers of the throughput runs and probes.
    static let buttons = 1_100
    static var sensors: Int { buildings * floors * roomsPerFloor * 2 }

    /// `DeviceProfiles/` of the repository, found from this file's path; `CAMPUSGUARD_PROFILE_DIR` overrides.
    static var profileDirectory: String {
        if let dir = getenv("CAMPUSGUARD_PROFILE_DIR").map({ String(cString: $0) }), !dir.isEmpty { return dir }
        // …/Benchmarks/Sources/MQTTBenchmarks/Workload.swift → repository root.
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/") + "/DeviceProfiles"
    }

    static func buildingID(_ b: Int) -> String {
        let kinds = ["dormitory", "classroom", "library", "canteen", "laboratory", "office"]
        return "\(kinds[b % kinds.count])-\(b + 1)"
    }

    static func buttonID(_ i: Int) -> String { "button-\(i)" }

    /// The site config, as `campusguard.yaml` text, for one broker and client id.
    static func configText(port: Int, clientID: String) -> String {
        var lines: [String] = []
        lines.reserveCapacity(sensors + buttons + buildings + 16)
        lines.append("site: {id: mqtt-bench, name: MQTT benchmark campus}")
        lines.append("locations:")
        for b in 0..<buildings {
            let id = buildingID(b)
            let kind = id.split(separator: "-").first!
            lines.append("  - {id: \(id), name: \(id), kind: \(kind)}")
        }
        lines.append("mqtt:")
        lines.append("  brokers:")
        lines.append(#"    - {id: local, url: "mqtt://127.0.0.1:\#(port)", client_id: \#(clientID)}"#)
        lines.append("profile_dirs: [\"\(profileDirectory)\"]")
        lines.append("devices:")
        for b in 0..<buildings {
            let building = buildingID(b)
            for floor in 1...floors {
                for r in 1...roomsPerFloor {
                    let room = "\(floor)\(r < 10 ? "0" : "")\(r)"
                    for (suffix, profile) in [("smoke", smokeProfile), ("temp", climateProfile)] {
                        let id = "\(building)-\(room)-\(suffix)"
                        lines.append(
                            "  - {id: \(id), profile: \(profile), location: \(building)/\(floor)/\(room), topic: zigbee2mqtt/\(id)}"
                        )
                    }
                }
            }
        }
        for i in 0..<buttons {
            let building = buildingID(i % buildings)
            lines.append(
                "  - {id: \(buttonID(i)), profile: \(buttonProfile), location: \(building)/1/lobby, topic: zigbee2mqtt/\(buttonID(i))}"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A press of a panic button, as Zigbee2MQTT publishes it.
    static let pressPayload: [UInt8] = Array(#"{"action":"single","battery":100,"linkquality":142}"#.utf8)

    struct Message: Sendable {
        var topic: String
        var payload: [UInt8]
    }

    /// `rounds` rounds of reports from every sensor of the campus (each once a round, in a new
    /// shuffled order each round), deterministic for a seed.
    static func messages(for campus: Campus, rounds: Int, seed: UInt64) -> [Message] {
        let devices = campus.devices.filter { $0.profile.id == smokeProfile || $0.profile.id == climateProfile }
        var rng = SplitMix64(seed: seed)
        var states = devices.map { DeviceSim(smoke: $0.profile.id == smokeProfile, rng: &rng) }
        var order = Array(states.indices)
        var out: [Message] = []
        out.reserveCapacity(rounds * states.count)
        for _ in 0..<rounds {
            order.shuffle(using: &rng)
            for i in order {
                out.append(
                    Message(topic: devices[i].stateTopic!, payload: Array(states[i].nextPayload(rng: &rng).utf8))
                )
            }
        }
        return out
    }
}

/// One simulated sensor: its drifting values and the occasional incident.
struct DeviceSim {
    let smoke: Bool
    var battery: Double
    var voltage: Int
    var baseTemperature = 0.0
    var temperature = 0.0
    var humidity = 0.0
    var pressure = 1008
    var heatSpike: [Double] = []
    var smokeFor = 0

    init(smoke: Bool, rng: inout SplitMix64) {
        self.smoke = smoke
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
        if smoke {
            // Smoke for two reports now and then; a self-test or a tamper more rarely.
            if smokeFor == 0, rng.chance(1, in: 800) { smokeFor = 2 }
            let test = smokeFor == 0 && rng.chance(1, in: 4_000)
            let smoke = smokeFor > 0 || test
            if smokeFor > 0 { smokeFor -= 1 }
            let tamper = rng.chance(1, in: 5_000)
            let lowBattery = battery < 15
            return #"{"battery":\#(Int(battery)),"battery_low":\#(lowBattery),"linkquality":\#(linkquality),"#
                + #""smoke":\#(smoke),"tamper":\#(tamper),"test":\#(test),"trouble":false,"voltage":\#(voltage)}"#
        }
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

/// A small deterministic generator, so every run sends the same stream.
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
