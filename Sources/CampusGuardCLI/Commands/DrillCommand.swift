import ArgumentParser
import CampusGuardConfig
import CampusGuardCore
import CampusGuardStore
import Foundation

/// `campusguard drill`: start and stop an unannounced drill on the running daemon, and the
/// report of how fast people answered (docs/drills.md).
struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Start or stop a drill, and report how fast people answered.",
        discussion: """
            During a drill, alarms in the buildings it covers are recorded and sent to staff marked \
            as tests, and never to the police. Panic buttons stay live unless --include-panic. \
            See docs/drills.md.
            """,
        subcommands: [Start.self, Stop.self, Report.self]
    )

    /// `campusguard drill start NAME [--building B]... [--include-panic]`.
    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Start a drill now (it replaces a drill already running)."
        )

        @Argument(help: "The drill's name, as the report will show it (e.g. \"宿舍A 夜间疏散演练\").")
        var name: String

        @Option(
            name: .customLong("building"),
            help: "A building the drill covers (repeat it); default: the whole site."
        )
        var buildings: [String] = []

        @Flag(name: .long, help: "Panic buttons take part too (by default they stay live and reach the police).")
        var includePanic = false

        @OptionGroup var connection: DaemonConnection

        func run() async throws {
            let api = try connection.api("campusguard drill start", needs: "admin")
            var body = JSONObjectWriter()
            body.string("name", name)
            if !buildings.isEmpty {
                body.raw("buildings", "[" + buildings.map(JSONObjectWriter.quote).joined(separator: ",") + "]")
            }
            body.bool("include_panic", includePanic)
            let answer = try await api.send("POST", "/api/v1/drills", json: body.finish())
            let drill = answer["drill"]
            var id = "?"
            if case .number(let n)? = drill?["id"] { id = String(Int64(n)) }
            var started = "now"
            if case .string(let s)? = drill?["started_at"] { started = s }
            let covers = buildings.isEmpty ? "the whole site" : buildings.joined(separator: ", ")
            print(
                "drill \(id) started at \(started): \(name); covers \(covers); panic buttons \(includePanic ? "included" : "live")"
            )
            if id == "?" {
                StandardError.write("note: the daemon has no store, so `drill report` will not show this drill")
            }
        }
    }

    /// `campusguard drill stop`.
    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stop",
            abstract: "Stop the running drill (alarms count as real again)."
        )

        @OptionGroup var connection: DaemonConnection

        func run() async throws {
            let api = try connection.api("campusguard drill stop", needs: "admin")
            _ = try await api.send("DELETE", "/api/v1/drills/current")
            print("drill stopped")
        }
    }
}
