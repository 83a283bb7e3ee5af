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
import BenchmarkPayloads
import CampusGuardCore
import Foundation

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
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("mqtt-bench-\(clientID)").path
        lines.append("storage: {path: \"\(state)/campusguard.sqlite\"}")
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
