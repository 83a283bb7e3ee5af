import CampusGuardCore
import Foundation
import Testing

@testable import CampusGuardCLI

@Suite("the CLI's daemon client: alarm table, words for errors")
struct DaemonClientTests {
    static let alarms = """
        {"alarms":[{"id":"20261120T141000Z-7","kind":"smoke","severity":"major","location":"dorm-a/3/301",
        "devices":["d"],"test":false,"reason":"threshold","raised_at":"2026-11-20T14:10:00Z","state":"acknowledged",
        "acknowledged_by":"王老师","acknowledged_at":"2026-11-20T14:10:42Z","cleared_at":null},
        {"id":"X-2","kind":"panic","severity":"critical","location":"gate","devices":["b"],"test":true,
        "raised_at":"2026-11-20T15:00:00.5Z","state":"raised","acknowledged_by":null}]}
        """

    @Test("the table lines up its columns (CJK counts two), shows local time, tests and missing values")
    func table() throws {
        guard case .array(let list)? = try JSONParser.parse(Self.alarms)["alarms"] else {
            Issue.record("no alarms")
            return
        }
        let text = AlarmTable.render(list, timeZone: try #require(TimeZone(identifier: "Asia/Shanghai")))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("ID  ") && lines[0].hasSuffix("STATE         ACKNOWLEDGED BY"))
        #expect(lines[1].contains("2026-11-20 22:10:00 +08:00  acknowledged  王老师"))
        #expect(lines[2].contains("panic (test)"))
        #expect(lines[2].contains("2026-11-20 23:00:00 +08:00  raised        —"))
        // The columns line up in display width: a CJK place name counts two per character.
        func column(_ line: String, _ marker: String) -> Int? {
            line.range(of: marker).map { AlarmTable.width(String(line[..<$0.lowerBound])) }
        }
        #expect(column(lines[0], "RAISED") == column(lines[1], "2026-11-20 22:10"))
        #expect(column(lines[0], "RAISED") == column(lines[2], "2026-11-20 23:00"))
        let wide = AlarmTable.lines([["一号楼", "x"], ["ab", "y"]])
        #expect(wide == ["一号楼  x", "ab      y"])
        #expect(AlarmTable.width("王老师") == 6)
        #expect(AlarmTable.render([], timeZone: .current) == "no alarm\n")
    }

    @Test("query values keep a time zone's plus sign as %2B")
    func query() {
        #expect(AlarmTable.queryValue("2026-11-01T00:00:00+08:00") == "2026-11-01T00:00:00%2B08:00")
    }

    @Test("errors in words: 401, 403 with the roles needed, 404 with the daemon's reason")
    func words() {
        #expect(DaemonAPI.words(status: 401, reason: "", needs: "duty").contains("does not know this token"))
        let forbidden = DaemonAPI.words(status: 403, reason: "token x has role viewer", needs: "duty or admin")
        #expect(forbidden.contains("role duty or admin"))
        #expect(forbidden.contains("token x has role viewer"))
        #expect(DaemonAPI.words(status: 404, reason: "no open alarm A", needs: "").contains("no open alarm A"))
        #expect(
            DaemonAPI.words(URLError(.cannotConnectToHost), base: "http://127.0.0.1:1").contains(
                "is the daemon running"
            )
        )
    }

    @Test("ack's answer in words: who and when, or already acknowledged")
    func outcome() throws {
        let answer = try JSONParser.parse(
            #"{"alarm":"A","events":[{"ts":"2026-11-20T14:10:42Z","type":"alarm.acknowledged","by":"王老师"}]}"#
        )
        let line = AckCommand.outcome(answer, alarm: "A", verb: "acknowledged", type: "alarm.acknowledged")
        #expect(line.hasPrefix("alarm A acknowledged by 王老师 at 2026-11-20 "))
        let none = try JSONParser.parse(#"{"alarm":"A","events":[]}"#)
        #expect(
            AckCommand.outcome(none, alarm: "A", verb: "acknowledged", type: "alarm.acknowledged")
                == "alarm A was already acknowledged (nothing changed)"
        )
    }
}
