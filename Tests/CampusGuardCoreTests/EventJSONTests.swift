import CampusGuardCore
import CampusGuardTestKit
import Foundation
import Testing

@Suite("The event format (JSON Lines)")
struct EventJSONTests {
    @Test("an alarm event line carries the contract's fields in a fixed order")
    func contractFields() throws {
        var e = Event(
            timestamp: testStart + .seconds(1),
            type: .alarmUpdated,
            alarm: "20261120T220000Z-1",
            kind: .fire,
            severity: .critical,
            devices: ["s1", "s2"],
            location: "dorm-a/3/301",
            reason: "two_smoke_detectors",
            previousKind: .smoke
        )
        e.values = [EventValue(device: "s2", channel: ChannelID(.smoke), value: .bool(true))]
        #expect(
            e.jsonLine
                == #"{"ts":"2026-11-20T22:00:01Z","type":"alarm.updated","alarm":"20261120T220000Z-1","kind":"fire","severity":"critical","test":false,"location":"dorm-a/3/301","devices":["s1","s2"],"reason":"two_smoke_detectors","previous_kind":"smoke","values":[{"device":"s2","channel":"smoke","value":true}]}"#
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(e.jsonLine.utf8)) as? [String: Any])
        for key in ["ts", "type", "kind", "severity", "devices", "location", "alarm", "test"] {
            #expect(object[key] != nil, "missing \(key)")
        }
    }

    @Test("strings are escaped, numbers written plainly, delivery fields included when set")
    func escaping() throws {
        var e = Event(
            timestamp: testStart,
            type: .deliverySent,
            alarm: "a",
            kind: .panic,
            severity: .critical,
            devices: ["门卫\"1\""],
            location: "gate/1/guard",
            test: true
        )
        e.note = "line1\nline2\t\\"
        e.channel = "duty-webhook"
        e.tier = 2
        e.values = [EventValue(device: "x", channel: ChannelID(.residualCurrent, index: 3), value: .number(312.5))]
        let object = try #require(try JSONSerialization.jsonObject(with: Data(e.jsonLine.utf8)) as? [String: Any])
        #expect(object["devices"] as? [String] == ["门卫\"1\""])
        #expect(object["note"] as? String == "line1\nline2\t\\")
        #expect(object["test"] as? Bool == true)
        #expect(object["channel"] as? String == "duty-webhook")
        #expect(object["tier"] as? Int == 2)
        #expect(e.jsonLine.contains(#""channel":"residual_current.3","value":312.5"#))
    }
}

@Suite("Time: RFC 3339 and durations")
struct TimeTests {
    @Test("RFC 3339 round trips, with offsets and fractions")
    func rfc3339() {
        #expect(RFC3339.parse("2026-11-20T22:00:00Z") == testStart)
        #expect(RFC3339.parse("2026-11-21T06:00:00+08:00") == testStart)
        #expect(RFC3339.parse("2026-11-20T22:00:00.250Z") == testStart + Interval(milliseconds: 250))
        #expect(RFC3339.format(testStart) == "2026-11-20T22:00:00Z")
        #expect(RFC3339.format(testStart + Interval(milliseconds: 5)) == "2026-11-20T22:00:00.005Z")
        #expect(RFC3339.format(Instant(millisecondsSinceEpoch: 951_782_400_000)) == "2000-02-29T00:00:00Z")
        #expect(RFC3339.format(Instant(millisecondsSinceEpoch: -1000)) == "1969-12-31T23:59:59Z")
    }

    @Test(
        "malformed timestamps are refused",
        arguments: [
            "", "2026-11-20", "2026-11-20T22:00:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
            "2026-11-20T25:00:00Z", "2026-11-20T22:00:00+8", "2026-11-20T22:00:00Zjunk", "yesterday",
        ]
    )
    func badTimestamps(text: String) {
        #expect(RFC3339.parse(text) == nil)
    }

    @Test("durations as the config writes them")
    func durations() {
        #expect(Interval(parsing: "500ms") == Interval(milliseconds: 500))
        #expect(Interval(parsing: "30s") == .seconds(30))
        #expect(Interval(parsing: "1h30m") == .minutes(90))
        #expect(Interval(parsing: "2d") == .hours(48))
        #expect(Interval(parsing: "0s") == .zero)
        for bad in ["", "30", "s", "5 minutes", "1.5h", "-3s", "99999999999999999999d"] {
            #expect(Interval(parsing: bad) == nil, "\(bad)")
        }
        #expect(Interval.minutes(90).description == "1h30m")
    }
}
