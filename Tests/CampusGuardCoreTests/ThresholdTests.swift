import CampusGuardCore
import CampusGuardTestKit
import Testing

@Suite("Thresholds: levels, hysteresis, minimum duration, rate-of-rise")
struct ThresholdTests {
    let campus = TestCampus.make([
        ("t1", "test-temperature", "dorm-a/3/301"),
        ("g1", "test-gas", "kitchen/1/stoves"),
        ("co1", "test-co", "kitchen/1/boiler"),
    ])

    @Test("a temperature at the limit raises overheat; it clears only below the hysteresis band")
    func hysteresis() {
        var d = EngineDriver(campus: campus)
        #expect(d.send("t1", "temperature", .number(40)).isEmpty)
        d.advance(by: 600)
        let raised = d.send("t1", "temperature", .number(56))
        #expect(raised.map(\.type) == [.alarmRaised])
        #expect(raised.first?.kind == .overheat)
        #expect(raised.first?.severity == .major)
        #expect(raised.first?.reason == "threshold")
        d.advance(by: 60)
        #expect(d.send("t1", "temperature", .number(53.5)).isEmpty, "53.5 is inside the 3 K band: still in alarm")
        d.advance(by: 60)
        let cleared = d.send("t1", "temperature", .number(52.9))
        #expect(cleared.map(\.type) == [.alarmCleared])
        #expect(d.engine.openAlarms.isEmpty, "overheat does not latch: cleared closes it")
    }

    @Test("no flapping: a value dancing around the limit raises once")
    func noFlapping() {
        var d = EngineDriver(campus: campus)
        d.send("t1", "temperature", .number(30))
        d.advance(by: 600)
        for v in [56.0, 55.0, 56.5, 54.0, 57.0, 55.5] {
            d.advance(by: 30)
            d.send("t1", "temperature", .number(v))
        }
        #expect(d.events(.alarmRaised).count == 1)
        #expect(d.events(.alarmCleared).isEmpty)
    }

    @Test("gas low then high: one alarm whose severity rises from major to critical")
    func gasLevels() {
        var d = EngineDriver(campus: campus)
        #expect(d.send("g1", "gas", .number(25)).first?.severity == .major)
        let update = d.send("g1", "gas", .number(55))
        #expect(update.map(\.type) == [.alarmUpdated])
        #expect(update.first?.severity == .critical)
        #expect(d.engine.openAlarms.count == 1)
    }

    @Test("a level with a minimum duration fires when the time runs out, without a new reading")
    func minimumDuration() {
        var d = EngineDriver(campus: campus)
        #expect(d.send("co1", "co", .number(120)).isEmpty)
        #expect(d.advance(by: 9 * 60).isEmpty)
        let fired = d.advance(by: 120)
        #expect(fired.map(\.type) == [.alarmRaised])
        #expect(fired.first.map(d.seconds) == 600, "raised exactly 10 minutes after the level was first passed")
        #expect(fired.first?.kind == .gasLeak)
    }

    @Test("a dip below the level restarts the minimum duration")
    func minimumDurationRestarts() {
        var d = EngineDriver(campus: campus)
        d.send("co1", "co", .number(120))
        d.advance(by: 300)
        d.send("co1", "co", .number(80))
        d.advance(by: 60)
        d.send("co1", "co", .number(150))
        #expect(d.advance(by: 540).isEmpty)
        #expect(d.advance(by: 61).count == 1)
    }

    @Test("a level with no duration fires at once: 300 ppm CO is critical immediately")
    func immediateLevel() {
        var d = EngineDriver(campus: campus)
        #expect(d.send("co1", "co", .number(320)).first?.severity == .critical)
    }

    @Test("rate-of-rise: a fast climb alarms below the static limit")
    func rateOfRise() {
        var d = EngineDriver(campus: campus)
        d.send("t1", "temperature", .number(30))
        d.advance(by: 60)
        d.send("t1", "temperature", .number(36))
        d.advance(by: 60)
        d.send("t1", "temperature", .number(42))
        d.advance(by: 60)
        let raised = d.send("t1", "temperature", .number(47))
        #expect(raised.first?.kind == .overheat)
        #expect(raised.first?.reason == "rate_of_rise")
    }

    @Test("rate-of-rise: a slow climb to the same temperature does not alarm")
    func slowRise() {
        var d = EngineDriver(campus: campus)
        var t = 30.0
        while t < 52 {
            d.send("t1", "temperature", .number(t))
            d.advance(by: 120)
            t += 2
        }
        #expect(d.events.isEmpty)
    }

    @Test("location-kind overrides replace the profile's limits: a kitchen alarms at 69 °C, not 56")
    func locationKindOverride() {
        let kitchen = ThresholdSpec(levels: [
            ThresholdLevel(direction: .above, limit: 69, severity: .major, hysteresis: 3)
        ])
        let campus = TestCampus.make(
            [("k1", "test-temperature", "kitchen/1/stoves"), ("d1", "test-temperature", "dorm-a/1/101")],
            thresholdsByKind: [.kitchen: [ChannelID(.temperature): kitchen]]
        )
        var d = EngineDriver(campus: campus)
        d.send("k1", "temperature", .number(60))
        d.send("d1", "temperature", .number(60))
        #expect(d.events.map(\.devices) == [["d1"]])
        d.advance(by: 600)
        #expect(d.send("k1", "temperature", .number(70)).first?.devices == ["k1"])
    }
}
