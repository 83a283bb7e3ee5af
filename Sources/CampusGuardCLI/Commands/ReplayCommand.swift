import ArgumentParser
import CampusGuardConfig
import CampusGuardCore
import Foundation

/// `campusguard replay`: recorded messages through the engine on a simulated clock.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run recorded MQTT messages or readings through the engine and print its events.",
        discussion: """
            Reads JSON Lines: {"ts": RFC3339, "topic": ..., "payload": ...} messages, \
            {"ts", "device", "channel", "value"} readings, or {"ts", "command": ...} actions \
            (see docs/replay.md). Timers fire in order on a simulated clock. Events are printed \
            as JSON Lines on stdout; bad lines are reported on stderr with their number and skipped.
            """
    )

    @Option(name: .long, help: "The config file (YAML).")
    var config: String

    @Option(name: .long, help: "The JSON Lines file to replay, or - for stdin.")
    var input: String

    @Option(name: .long, help: "Run the clock on after the last line until this RFC 3339 time, so later timers fire.")
    var until: String?

    func validate() throws {
        if let until, RFC3339.parse(until) == nil {
            throw ValidationError("--until \"\(until)\" is not an RFC 3339 timestamp such as 2026-11-22T21:00:00+08:00")
        }
    }

    func run() throws {
        let loaded = try loadConfigOrExit(config)
        guard let lines = LineReader(path: input) else {
            StandardError.write("\(input): cannot open the input file")
            throw ExitCode(1)
        }
        let name = input == "-" ? "stdin" : input
        let out = StandardOutput()
        var replay = Replay(
            campus: loaded.campus,
            emitEvent: { out.writeLine($0.jsonLine) },
            reportProblem: { line, message in StandardError.write("\(name):\(line): \(message)") }
        )
        var number = 0
        while let line = lines.next() {
            number += 1
            replay.feed(line: line, number: number)
        }
        replay.finish(until: until.flatMap(RFC3339.parse))
        out.flush()
        StandardError.write(
            "replayed \(replay.linesRead) line\(replay.linesRead == 1 ? "" : "s") (\(replay.linesSkipped) skipped), \(replay.eventsWritten) event\(replay.eventsWritten == 1 ? "" : "s")"
        )
    }
}
