// The escalation benchmark's campus, written as campusguard.yaml text and loaded as
// `campusguard run` loads it: 20 buildings, each with 75 rooms (one HEIMAN HS1SA smoke detector
// and one Aqara WSDCGQ11LM temperature sensor a room: 3,000 sensors) and its share of the HEIMAN
// HS1EB panic buttons (one per alarm of the run, plus the warm-up's), every device on
// `zigbee2mqtt/<id>`; one signed webhook channel, the police link, no escalation policies.

import BenchmarkPayloads
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum BenchCampus {
    static let buildings = 20
    static let roomsPerBuilding = 75
    static let smokeProfile = "heiman-hs1sa"
    static let climateProfile = "aqara-wsdcgq11lm"
    static let buttonProfile = "heiman-hs1eb"
    static let channelID = "duty-webhook"
    static let secret = "escalation-benchmark-secret"

    /// Where the peers and the store are: the config's only variable parts.
    struct Endpoints {
        var brokerPort: Int
        var sinkURL: String
        var policePort: Int
        var apiPort: Int
        var directory: String
    }

    /// `DeviceProfiles/` of the repository, found from this file's path.
    static var profileDirectory: String {
        // …/Benchmarks/Sources/EscalationBenchmarks/BenchCampus.swift → repository root.
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/") + "/DeviceProfiles"
    }

    static func buildingID(_ b: Int) -> String {
        let kinds = ["dormitory", "classroom", "library", "canteen", "laboratory", "office"]
        return "\(kinds[b % kinds.count])-\(b + 1)"
    }

    static func buttonID(_ i: Int) -> String { "panic-\(i)" }

    struct Sensor {
        var id: String
        var smoke: Bool
        /// `BUILDING/FLOOR/ROOM`.
        var location: String
    }

    /// Every sensor, in the config's order: 3 floors of 25 rooms a building.
    static let sensors: [Sensor] = (0..<buildings).flatMap { b in
        (0..<roomsPerBuilding).flatMap { r -> [Sensor] in
            let floor = r / 25 + 1
            let room = "\(floor)\(r % 25 + 1 < 10 ? "0" : "")\(r % 25 + 1)"
            let location = "\(buildingID(b))/\(floor)/\(room)"
            return [
                Sensor(id: "\(buildingID(b))-\(room)-smoke", smoke: true, location: location),
                Sensor(id: "\(buildingID(b))-\(room)-temp", smoke: false, location: location),
            ]
        }
    }

    /// The site config for `buttons` panic buttons, spread evenly over the buildings.
    static func configText(buttons: Int, _ e: Endpoints) -> String {
        var lines = [
            "site: {id: escalation-bench, name: 基准学校 Escalation benchmark, timezone: Asia/Shanghai}",
            "locations:",
        ]
        for b in 0..<buildings {
            let id = buildingID(b)
            lines.append("  - {id: \(id), name: \(id), kind: \(id.split(separator: "-")[0])}")
        }
        lines += [
            "mqtt:",
            "  brokers:",
            #"    - {id: local, url: "mqtt://127.0.0.1:\#(e.brokerPort)", client_id: campusguard-escalation}"#,
            "profile_dirs: [\"\(profileDirectory)\"]",
            "storage: {path: \"\(e.directory)/campusguard.sqlite\"}",
            "api: {listen: \"127.0.0.1:\(e.apiPort)\", tokens_file: \"\(e.directory)/tokens\"}",
            "channels:",
            "  - {id: \(channelID), type: webhook, url: \"\(e.sinkURL)/campusguard\", secret_file: \"\(e.directory)/webhook.secret\"}",
            "police_link: {host: 127.0.0.1, port: \(e.policePort), account: \"1234\", ack_timeout: 2s}",
            "devices:",
        ]
        for s in sensors {
            let profile = s.smoke ? smokeProfile : climateProfile
            lines.append("  - {id: \(s.id), profile: \(profile), location: \(s.location), topic: zigbee2mqtt/\(s.id)}")
        }
        for i in 0..<buttons {
            let building = buildingID(i % buildings)
            lines.append(
                "  - {id: \(buttonID(i)), profile: \(buttonProfile), location: \(building)/1/gate-\(i / buildings + 1), topic: zigbee2mqtt/\(buttonID(i))}"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A press of a panic button, as Zigbee2MQTT publishes it.
    static let pressPayload: [UInt8] = Array(#"{"action":"single","battery":100,"linkquality":142}"#.utf8)

    /// A routine report of sensor `index` in its `round`th report: nothing near a limit (no smoke,
    /// no test, no tamper, batteries well charged, temperatures drifting within a degree).
    static func routinePayload(sensor index: Int, smoke: Bool, round: Int) -> [UInt8] {
        var rng = SplitMix64(seed: UInt64(index) &* 0x9E37_79B9 &+ UInt64(round))
        let battery = 60 + index % 40
        let voltage = 2_800 + battery * 3 + rng.int(in: -15...15)
        let linkquality = rng.int(in: 30...210)
        if smoke {
            return Array(
                (#"{"battery":\#(battery),"battery_low":false,"linkquality":\#(linkquality),"smoke":false,"#
                    + #""tamper":false,"test":false,"trouble":false,"voltage":\#(voltage)}"#).utf8
            )
        }
        let base = 20.0 + Double(index % 40) / 10
        let temperature = base + sin(Double(round) / 3) * 0.5 + rng.double(in: -0.05...0.05)
        let humidity = 45.0 + Double(index % 15) + rng.double(in: -0.5...0.5)
        return Array(
            (#"{"temperature":\#(fixed(temperature, 2)),"humidity":\#(fixed(humidity, 1)),"pressure":1008,"#
                + #""battery":\#(battery),"voltage":\#(voltage),"linkquality":\#(linkquality)}"#).utf8
        )
    }
}
