import ArgumentParser
import CampusGuardConfig
import CampusGuardCore
import CampusGuardDelivery

/// `campusguard devices`: the configured devices, or with `--contact-id` the Contact ID group
/// and zone the police link reports each one as.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the configured devices.",
        discussion: """
            With --contact-id: each device's Contact ID group (its building) and zone, as the police \
            link reports them; give this list to the alarm receiving centre. `*` marks a number set \
            in the config (contact_id_group, contact_id_zone) rather than by position.
            """
    )

    @Option(name: .long, help: "The config file (YAML).")
    var config: String

    @Flag(name: .customLong("contact-id"), help: "Show each device's Contact ID group and zone.")
    var contactID = false

    func run() throws {
        let loaded = try loadConfigOrExit(config)
        let rows: [[String]]
        if contactID {
            let addressing = ContactIDAddressing(config: loaded.config)
            rows =
                [["GROUP", "ZONE", "DEVICE", "LOCATION"]]
                + addressing.entries.map { e in
                    [
                        Self.digits(e.group, 2) + (e.groupIsExplicit ? "*" : ""),
                        Self.digits(e.zone, 3) + (e.zoneIsExplicit ? "*" : ""),
                        e.device,
                        e.location.description,
                    ]
                }
        } else {
            rows =
                [["DEVICE", "PROFILE", "LOCATION", "SOURCE"]]
                + loaded.config.devices.map { d in
                    let source =
                        d.bus.map { "modbus \($0) unit \(d.unit ?? 0)" } ?? d.topic.map { "mqtt \($0)" } ?? ""
                    return [d.id, d.profile, d.location.description, source]
                }
        }
        for line in Self.table(rows) { print(line) }
    }

    static func table(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.first?.count ?? 0)).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                c == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count + 2)
            }.joined()
        }
    }

    static func digits(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
