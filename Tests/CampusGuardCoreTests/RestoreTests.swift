import CampusGuardCore
import CampusGuardTestKit
import Testing

@Suite("A restarted engine takes back the open alarms")
struct RestoreTests {
    let campus = TestCampus.make([
        ("p1", "test-panic", "dorm-a/1/lobby"), ("s1", "test-smoke", "dorm-a/3/301"),
        ("s2", "test-smoke", "dorm-a/3/301"),
    ])

    /// Runs `body` on an engine, then restores its events into a new engine, as after a restart.
    func restarted(_ body: (inout EngineDriver) throws -> Void) rethrows -> (before: EngineDriver, after: AlarmEngine) {
        var d = EngineDriver(campus: campus)
        try body(&d)
        var engine = AlarmEngine(campus: campus, startedAt: d.now, firstSequence: 100)
        engine.restore(OpenAlarmRecord.open(from: d.events.compactMap { Event(jsonLine: $0.jsonLine) }))
        return (d, engine)
    }

    @Test("a latched panic alarm stays open after a restart and is resolved by a person, not by a new press")
    func panicStaysOpen() throws {
        let (before, after) = restarted { d in _ = d.send("p1", "button", .event("single")) }
        var engine = after
        let id = try #require(before.events.first?.alarm)
        #expect(engine.alarm(id)?.kind == .panic)
        #expect(
            engine.ingest(
                Reading(
                    device: "p1",
                    channel: ChannelID(.button),
                    value: .event("single"),
                    timestamp: before.now + .seconds(5)
                ),
                at: before.now + .seconds(5)
            ).isEmpty,
            "another press belongs to the open alarm"
        )
        let resolved = try engine.resolve(id, by: "保安", note: "checked", at: before.now + .seconds(10))
        #expect(resolved.map(\.type) == [.alarmResolved])
        #expect(engine.openAlarms.isEmpty)
    }

    @Test("acknowledged, resolved and cleared alarms come back as they were; resolved ones not at all")
    func states() throws {
        let (before, after) = try restarted { d in
            let panic = try #require(d.send("p1", "button", .event("single")).first?.alarm)
            d.advance(by: 1)
            _ = try d.acknowledge(panic, by: "王老师")
            let smoke = try #require(d.send("s1", "smoke", .bool(true)).first?.alarm)
            d.advance(by: 2)
            _ = try d.acknowledge(smoke)
            _ = d.send("s1", "smoke", .bool(false))
            _ = try d.resolve(smoke, by: "王老师", note: "steam")
        }
        let panic = try #require(before.events.first?.alarm)
        #expect(after.openAlarms.map(\.id) == [panic])
        #expect(after.alarm(panic)?.state == .acknowledged)
        #expect(after.alarm(panic)?.acknowledgedBy == "王老师")
    }

    @Test("an unverified smoke alarm whose window ran out during the restart becomes fire at the first tick")
    func smokeVerificationContinues() throws {
        let (before, after) = restarted { d in _ = d.send("s1", "smoke", .bool(true)) }
        var engine = after
        let id = try #require(before.events.first?.alarm)
        let events = engine.tick(now: before.now + .seconds(61))
        #expect(events.map(\.type) == [.alarmUpdated])
        #expect(events.first?.kind == .fire)
        #expect(events.first?.alarm == id, "the same alarm, not a new one")
    }

    @Test("new alarm ids continue after the stored ones")
    func sequence() throws {
        let (_, after) = restarted { d in _ = d.send("p1", "button", .event("single")) }
        var engine = after
        let e = engine.ingest(
            Reading(device: "s1", channel: ChannelID(.smoke), value: .bool(true), timestamp: testStart + .seconds(9)),
            at: testStart + .seconds(9)
        )
        #expect(e.first?.alarm?.hasSuffix("-100") == true)
    }

    @Test("an event line reads back into the same event")
    func eventRoundTrip() throws {
        var d = EngineDriver(campus: campus)
        _ = d.send("s1", "smoke", .bool(true))
        d.advance(by: 1)
        _ = d.send("s2", "smoke", .bool(true))
        for e in d.events { #expect(Event(jsonLine: e.jsonLine) == e) }
        #expect(Event(jsonLine: "{\"ts\":\"x\"}") == nil)
        #expect(Event(jsonLine: "not json") == nil)
    }
}
