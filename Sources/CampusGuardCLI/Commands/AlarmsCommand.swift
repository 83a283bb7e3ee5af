import ArgumentParser
import CampusGuardCore
import Foundation

/// `campusguard alarms [--since T] [--json]`: the open alarms on the running daemon.
struct AlarmsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alarms",
        abstract: "List the open alarms and faults on the running daemon.",
        discussion: """
            Asks the daemon's API (GET /api/v1/alarms) with a token of any role. Prints a table \
            (times in this machine's time zone) or, with --json, the daemon's JSON. --since asks \
            for the history from that time on, closed alarms included; it needs a daemon whose \
            API has the alarm history. See docs/cli.md.
            """
    )

    @Option(name: .long, help: "The history from this time on (RFC 3339, e.g. 2026-11-01T00:00:00+08:00).")
    var since: String?

    @Flag(name: .long, help: "Print the daemon's JSON, for scripts.")
    var json = false

    @OptionGroup var connection: DaemonConnection

    func validate() throws {
        if let since, RFC3339.parse(since) == nil {
            throw ValidationError("--since \(since) is not an RFC 3339 time such as 2026-11-01T00:00:00+08:00")
        }
    }

    func run() async throws {
        let api = try connection.api("campusguard alarms", needs: "viewer, duty, maintenance or admin")
        let path = "/api/v1/alarms" + (since.map { "?since=" + AlarmTable.queryValue($0) } ?? "")
        if json {
            print(try await api.text(path), terminator: "")
            return
        }
        let answer = try await api.send("GET", path)
        guard case .array(let alarms)? = answer["alarms"] else {
            StandardError.write("campusguard alarms: the daemon's answer has no \"alarms\" list")
            throw ExitCode(1)
        }
        print(AlarmTable.render(alarms, timeZone: .current), terminator: "")
    }
}
