import ArgumentParser
import CampusGuardCore
import Foundation

/// `campusguard resolve ALARM_ID --note TEXT [--by NAME]`: close an alarm on the running daemon.
struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve an alarm: close it, saying what was found and done.",
        discussion: """
            POST /api/v1/alarms/ID/resolve with a duty or admin token. Refused while the smoke, \
            gas, … is still there: acknowledge now, resolve once it has cleared. See docs/cli.md.
            """
    )

    @Argument(help: "The alarm's id, as `campusguard alarms` lists it.")
    var alarm: String

    @Option(name: .long, help: "What was found and done (required, at most 2000 characters).")
    var note: String

    @Option(name: .long, help: "Who resolves (default: the token's name).")
    var by: String?

    @OptionGroup var connection: DaemonConnection

    func validate() throws {
        if note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--note must say what was found and done")
        }
    }

    func run() async throws {
        let api = try connection.api("campusguard resolve", needs: "duty or admin")
        var body = JSONObjectWriter()
        body.string("note", note)
        if let by { body.string("by", by) }
        let answer = try await api.send(
            "POST",
            "/api/v1/alarms/\(AlarmTable.queryValue(alarm))/resolve",
            json: body.finish()
        )
        print(AckCommand.outcome(answer, alarm: alarm, verb: "resolved", type: "alarm.resolved"))
    }
}
