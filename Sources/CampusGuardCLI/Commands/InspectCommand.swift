import ArgumentParser
import CampusGuardCore
import Foundation

/// `campusguard inspect DEVICE`: a device's recent inspections, or with `--pass` / `--fail`
/// a new one recorded on the running daemon (docs/tickets.md).
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Record a device's inspection (--pass / --fail), or show its recent ones.",
        discussion: """
            A test alarm of the device in the last 2 hours (press its test button before recording) \
            is linked as evidence; --evidence names one instead. Recording needs a maintenance or \
            admin token; showing, any token. See docs/tickets.md.
            """
    )

    @Argument(help: "The device's id, as in the config.")
    var device: String

    @Flag(name: .customLong("pass"), help: "The device passed the test: record that.")
    var passed = false

    @Flag(name: .customLong("fail"), help: "The device failed the test: record that.")
    var failed = false

    @Option(name: .long, help: "What was tested and found.")
    var note: String?

    @Option(name: .long, help: "The id of the device's test alarm to link as evidence.")
    var evidence: String?

    @Flag(name: .long, help: "With --fail: open a hazard ticket for the device.")
    var ticket = false

    @Flag(name: .long, help: "Print the daemon's JSON answer.")
    var json = false

    @OptionGroup var connection: DaemonConnection

    func validate() throws {
        if passed && failed { throw ValidationError("give --pass or --fail, not both") }
        if !passed && !failed && (note != nil || evidence != nil || ticket) {
            throw ValidationError("--note, --evidence and --ticket go with --pass or --fail")
        }
        if ticket && !failed { throw ValidationError("--ticket goes with --fail") }
    }

    func run() async throws {
        let api = try connection.api("campusguard inspect", needs: "maintenance or admin")
        let path = "/api/v1/devices/\(Self.pathSegment(device))/inspections"
        guard passed || failed else {
            let answer = try await api.send("GET", path)
            if json { return print(answer.jsonText) }
            let records = answer["inspections"]?.items ?? []
            guard !records.isEmpty else { return print("\(device): no inspections recorded") }
            let rows = records.map { r in
                [
                    r["at"]?.text() ?? "", r["result"]?.text() ?? "", r["by"]?.text() ?? "",
                    Self.evidence(r["evidence"]), r["ticket"]?.text() ?? "", r["note"]?.text() ?? "",
                ]
            }
            for line in TextTable.lines([["AT", "RESULT", "BY", "EVIDENCE", "TICKET", "NOTE"]] + rows) {
                print(line)
            }
            return
        }
        var body = JSONObjectWriter()
        body.string("result", passed ? "pass" : "fail")
        if let note { body.string("note", note) }
        if let evidence { body.string("evidence", evidence) }
        if ticket { body.bool("ticket", true) }
        let answer = try await api.send("POST", path, json: body.finish())
        if json { return print(answer.jsonText) }
        let r = answer["inspection"]
        print(
            "inspection \(r?["id"]?.text() ?? "?") recorded: \(device) \(r?["result"]?.text() ?? "?") "
                + "by \(r?["by"]?.text() ?? "?") at \(r?["at"]?.text() ?? "?")"
        )
        if case .object? = r?["evidence"] {
            print("evidence: test alarm \(Self.evidence(r?["evidence"]))")
        } else {
            print("evidence: none (no test alarm of \(device) in the last 2 hours; --evidence ALARM names one)")
        }
        if let t = r?["ticket"]?.text(), !t.isEmpty { print("hazard ticket \(t) opened") }
    }

    /// `ALARM (raised AT, linked automatically)`, or `-`.
    static func evidence(_ value: JSONValue?) -> String {
        guard let value, case .object = value else { return "-" }
        let how = value["linked"]?.text() == "automatic" ? "linked automatically" : "named"
        return "\(value["alarm"]?.text() ?? "?") (raised \(value["raised_at"]?.text() ?? "?"), \(how))"
    }

    /// A device id as one path segment.
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
