import ArgumentParser

/// The `campusguard` command line: the executable's `@main` only calls `main()` on this.
public struct CampusGuardCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "campusguard",
        abstract: "Campus safety gateway: sensors in, alarms out, a person must answer.",
        discussion: """
            campusguard listens to a school's smoke, gas, electrical-fire and temperature sensors and \
            one-key alarm buttons, decides within milliseconds, and makes sure someone answers. \
            Start with `campusguard check-config --config FILE`.
            """,
        version: CampusGuardVersion.current,
        subcommands: [
            CheckConfigCommand.self, DevicesCommand.self, DutyCommand.self, ExportCommand.self, ReplayCommand.self,
            RunCommand.self, TokenCommand.self,
            DrillCommand.self,
            InspectCommand.self, TicketsCommand.self,
            AlarmsCommand.self, AckCommand.self, ResolveCommand.self, ReportCommand.self,
        ]
    )

    public init() {}

    /// Parses the process's arguments and runs the chosen subcommand; exits with its status.
    public static func runFromCommandLine() async { await main() }
}

/// The version printed by `--version`.
public enum CampusGuardVersion {
    public static let current = "0.1.0"
}
