import ArgumentParser
import CampusGuardConfig
import CampusGuardCore

/// `campusguard check-config`: validates a config and its profiles without starting anything.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a config file and the device profiles it uses.",
        discussion:
            "Prints a one-line summary and exits 0 when valid; prints every problem as FILE:LINE:COLUMN: message and exits 1 when not."
    )

    @Option(name: .long, help: "The config file (YAML).")
    var config: String

    func run() throws {
        let loaded = try loadConfigOrExit(config)
        print(Self.summary(loaded))
    }

    static func summary(_ loaded: LoadedConfig) -> String {
        let c = loaded.config
        let profiles = Set(c.devices.map(\.profile)).count
        var parts = [
            "\(c.buildings.count) location\(c.buildings.count == 1 ? "" : "s")",
            "\(c.devices.count) device\(c.devices.count == 1 ? "" : "s") (\(profiles) profile\(profiles == 1 ? "" : "s"))",
            "\(c.mqttBrokers.count) MQTT broker\(c.mqttBrokers.count == 1 ? "" : "s")",
            "\(c.modbusBuses.count) Modbus bus\(c.modbusBuses.count == 1 ? "" : "es")",
            "\(c.channels.count) channel\(c.channels.count == 1 ? "" : "s")",
        ]
        parts.append(c.policeLink == nil ? "no police link" : "police link \(c.policeLink!.host):\(c.policeLink!.port)")
        return "ok: \(loaded.file): site \(c.site.id) (\(c.site.name)): " + parts.joined(separator: ", ")
    }
}

/// Loads a config; on failure prints every diagnostic to stderr and exits 1.
func loadConfigOrExit(_ path: String) throws -> LoadedConfig {
    do {
        return try ConfigLoader.load(file: path)
    } catch {
        for d in error.diagnostics { StandardError.write(d.description) }
        StandardError.write(
            "\(path): \(error.diagnostics.count) problem\(error.diagnostics.count == 1 ? "" : "s") found"
        )
        throw ExitCode(1)
    }
}
