import ArgumentParser
import CampusGuardConfig
import CampusGuardCore
import Foundation

/// `campusguard devices`: the configured devices (`--config`), with `--contact-id` the Contact
/// ID group and zone the police link reports each one as; or, from the running daemon
/// (`--url`, or `--config` with `--live`), every device's status, last values and open alarms.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List the devices: from the config, or live from the running daemon.",
        discussion: """
            With --config alone: the configured devices, read from the file (the daemon need not run). \
            With --contact-id: each device's Contact ID group (its building) and zone, as the police \
            link reports them; give this list to the alarm receiving centre. `*` marks a number set \
            in the config (contact_id_group, contact_id_zone) rather than by position.

            With --url URL (or --config FILE --live, which asks the daemon at the config's api.listen): \
            each device's status (ok, alarm, fault, offline, maintenance, disabled), when it was last \
            heard from, its battery and open alarms, from the daemon's API; --building, --kind and \
            --status filter; --json prints the daemon's JSON. Any API token will do (role viewer and up): \
            --token-file FILE or the CAMPUSGUARD_TOKEN variable.
            """
    )

    @Option(name: .long, help: "The config file (YAML).")
    var config: String?

    @Flag(name: .customLong("contact-id"), help: "Show each device's Contact ID group and zone (from the config).")
    var contactID = false

    @Option(name: .long, help: "Ask the running daemon's HTTP API at this URL (e.g. http://127.0.0.1:8080).")
    var url: String?

    @Flag(name: .long, help: "With --config: ask the running daemon at the config's api.listen.")
    var live = false

    @Option(name: .long, help: "A file holding an API token; default: the CAMPUSGUARD_TOKEN variable.")
    var tokenFile: String?

    @Option(name: .long, help: "Only devices of this building (location id).")
    var building: String?

    @Option(
        name: .long,
        help: "Only devices of this kind: \(DeviceKind.allCases.map(\.rawValue).joined(separator: ", "))."
    )
    var kind: String?

    @Option(
        name: .long,
        help: "Only devices in this status: \(DeviceStatus.allCases.map(\.rawValue).joined(separator: ", "))."
    )
    var status: String?

    @Flag(name: .long, help: "Print the daemon's JSON instead of a table.")
    var json = false

    var daemonMode: Bool { url != nil || live }

    func validate() throws {
        if url == nil && config == nil {
            throw ValidationError("give --config FILE, or --url URL for the running daemon")
        }
        if live && config == nil {
            throw ValidationError("--live asks the daemon at the config's api.listen: give --config")
        }
        if url != nil && live { throw ValidationError("give --url or --live, not both") }
        if daemonMode && contactID {
            throw ValidationError("--contact-id reads the config: leave out --url and --live")
        }
        if !daemonMode && (building != nil || kind != nil || status != nil || json) {
            throw ValidationError("--building, --kind, --status and --json ask the running daemon: add --url or --live")
        }
        if let kind, DeviceKind(rawValue: kind) == nil {
            throw ValidationError(
                "--kind \(kind) is not one of \(DeviceKind.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        if let status, DeviceStatus(rawValue: status) == nil {
            throw ValidationError(
                "--status \(status) is not one of \(DeviceStatus.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
    }

    func run() async throws {
        if daemonMode {
            try await runLive()
            return
        }
        let loaded = try loadConfigOrExit(config ?? "")
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
                    return [d.id, d.profile, d.location.description, source + (d.enabled ? "" : " (disabled)")]
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
