import ArgumentParser
import CampusGuardCore
import Foundation

/// `campusguard ack ALARM_ID [--by NAME]`: acknowledge an alarm on the running daemon.
struct AckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Acknowledge an alarm: someone is on it; escalation to the next tier stops.",
        discussion: """
            POST /api/v1/alarms/ID/ack with a duty or admin token. Prints who acknowledged and \
            when. Acknowledging does not close the alarm: `campusguard resolve` does. See docs/cli.md.
            """
    )

    @Argument(help: "The alarm's id, as `campusguard alarms` lists it.")
    var alarm: String

    @Option(name: .long, help: "Who acknowledges (default: the token's name).")
    var by: String?

    @OptionGroup var connection: DaemonConnection

    func run() async throws {
        let api = try connection.api("campusguard ack", needs: "duty or admin")
        var body = JSONObjectWriter()
        if let by { body.string("by", by) }
        let answer = try await api.send(
            "POST",
            "/api/v1/alarms/\(AlarmTable.queryValue(alarm))/ack",
            json: body.finish()
        )
        print(Self.outcome(answer, alarm: alarm, verb: "acknowledged", type: "alarm.acknowledged"))
    }

    /// `alarm A acknowledged by 王老师 at 2026-11-20 22:10:42 +08:00`, or, when the command
    /// caused no event, that it had been already.
    static func outcome(_ answer: JSONValue, alarm: String, verb: String, type: String) -> String {
        guard case .array(let events)? = answer["events"],
            let event = events.first(where: { $0["type"] == .string(type) })
        else { return "alarm \(alarm) was already \(verb) (nothing changed)" }
        let at = RFC3339.parse(AlarmTable.string(event["ts"])).map { AlarmTable.localTime($0, .current) } ?? "?"
        return "alarm \(alarm) \(verb) by \(AlarmTable.string(event["by"])) at \(at)"
    }
}
