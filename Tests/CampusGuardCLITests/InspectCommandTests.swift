import ArgumentParser
import CampusGuardCore
import Testing

@testable import CampusGuardCLI

@Suite("campusguard inspect and tickets")
struct InspectCommandTests {
    @Test("inspect takes --pass or --fail, not both; --note, --evidence and --ticket need a result")
    func flags() throws {
        _ = try InspectCommand.parse(["s-1"])
        _ = try InspectCommand.parse(["s-1", "--pass", "--note", "ok", "--evidence", "A-1"])
        _ = try InspectCommand.parse(["s-1", "--fail", "--ticket"])
        for bad in [
            ["s-1", "--pass", "--fail"], ["s-1", "--note", "x"], ["s-1", "--pass", "--ticket"], ["s-1", "--ticket"],
        ] {
            #expect(throws: (any Error).self, "\(bad)") { _ = try InspectCommand.parse(bad) }
        }
        #expect(throws: (any Error).self) { _ = try TicketsCommand.parse(["--status", "done"]) }
    }

    @Test("a device id is one path segment; ages read as days, hours, minutes")
    func formatting() {
        #expect(InspectCommand.pathSegment("dorm-a/301 smoke") == "dorm-a%2F301%20smoke")
        #expect(TicketsCommand.age(40) == "40s")
        #expect(TicketsCommand.age(300) == "5m")
        #expect(TicketsCommand.age(2 * 3600 + 600) == "2h 10m")
        #expect(TicketsCommand.age(3 * 86_400 + 4 * 3600 + 59) == "3d 4h")
    }

    @Test("--json prints the daemon's answer as compact JSON in its order")
    func jsonText() throws {
        let text = #"{"b":[1,2.5,"x\"y",null,true],"a":{"n":-3}}"#
        #expect(try JSONParser.parse(text).jsonText == text)
        let evidence = try JSONParser.parse(#"{"alarm":"A-1","raised_at":"2026-11-23T02:20:12Z","linked":"named"}"#)
        #expect(InspectCommand.evidence(evidence) == "A-1 (raised 2026-11-23T02:20:12Z, named)")
        #expect(InspectCommand.evidence(.null) == "-")
    }

    @Test("tables pad Chinese characters as two columns, as a terminal shows them")
    func wideCharacters() {
        let lines = TextTable.lines([["WHO", "TITLE"], ["李师傅", "x"], ["li", "y"]])
        #expect(lines == ["WHO     TITLE", "李师傅  x", "li      y"])
    }
}
