import ArgumentParser
import CampusGuardCore

/// `campusguard tickets`: the hazard tickets on the running daemon, open ones oldest first
/// (docs/tickets.md).
struct TicketsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tickets",
        abstract: "List hazard tickets: open ones by building and age, oldest first."
    )

    enum Status: String, ExpressibleByArgument, CaseIterable {
        case open, closed, all
    }

    @Option(name: .long, help: "open (default), closed or all.")
    var status: Status = .open

    @Option(name: .long, help: "Only this building's tickets.")
    var building: String?

    @Flag(name: .long, help: "Print the daemon's JSON answer.")
    var json = false

    @OptionGroup var connection: DaemonConnection

    func run() async throws {
        let api = try connection.api("campusguard tickets", needs: "viewer or any other role")
        var path = "/api/v1/tickets?status=\(status.rawValue)"
        if let building { path += "&building=" + InspectCommand.pathSegment(building) }
        let answer = try await api.send("GET", path)
        if json { return print(answer.jsonText) }
        let tickets = answer["tickets"]?.items ?? []
        guard !tickets.isEmpty else { return print("no \(status == .all ? "" : status.rawValue + " ")hazard tickets") }
        let rows = tickets.map { t in
            let seconds: Int64 = if case .number(let n)? = t["age_seconds"] { Int64(n) } else { 0 }
            return [
                t["id"]?.text() ?? "", Self.age(seconds), t["status"]?.text() ?? "",
                t["location"]?.text(t["building"]?.text() ?? "") ?? "",
                t["assignee"]?.text("-") ?? "-", t["title"]?.text() ?? "",
            ]
        }
        for line in TextTable.lines([["TICKET", "AGE", "STATUS", "WHERE", "ASSIGNEE", "TITLE"]] + rows) {
            print(line)
        }
    }

    /// `3d 4h`, `2h 10m`, `5m`, `40s`.
    static func age(_ seconds: Int64) -> String {
        let d = seconds / 86_400
        let h = seconds % 86_400 / 3600
        let m = seconds % 3600 / 60
        if d > 0 { return "\(d)d \(h)h" }
        if h > 0 { return "\(h)h \(m)m" }
        if m > 0 { return "\(m)m" }
        return "\(seconds)s"
    }
}
