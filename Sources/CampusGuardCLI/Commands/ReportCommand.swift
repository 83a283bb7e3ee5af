import ArgumentParser
import CampusGuardCore
import Foundation

/// `campusguard report --since T [--until T] [--format md|csv|json]`: the safety report of a
/// period from the running daemon.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "The safety report of a period: alarms and response times, faults, offline time, open hazards.",
        discussion: """
            GET /api/v1/report with a token of any role. Markdown (default) for the safety officer, \
            with times in the site's time zone; csv for spreadsheets (one section per table, the \
            first field naming it); json for scripts. See docs/cli.md.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case md, csv, json
    }

    @Option(name: .long, help: "The period's start (RFC 3339, e.g. 2026-11-01T00:00:00+08:00).")
    var since: String

    @Option(name: .long, help: "The period's end, not included (RFC 3339); default: now.")
    var until: String?

    @Option(name: .long, help: "md (default), csv or json.")
    var format: Format = .md

    @OptionGroup var connection: DaemonConnection

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, RFC3339.parse(value) == nil {
                throw ValidationError("\(name) \(value) is not an RFC 3339 time such as 2026-11-01T00:00:00+08:00")
            }
        }
        if let until, let start = RFC3339.parse(since), let end = RFC3339.parse(until), end <= start {
            throw ValidationError("--until must be after --since")
        }
    }

    func run() async throws {
        let api = try connection.api("campusguard report", needs: "viewer, duty, maintenance or admin")
        var path = "/api/v1/report?since=" + AlarmTable.queryValue(since)
        if let until { path += "&until=" + AlarmTable.queryValue(until) }
        path += "&format=" + format.rawValue
        let text = try await api.text(path)
        print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
    }
}
