import CampusGuardCore

/// Drives an engine on a manual clock, firing timers at their own instants as `replay` does.
public struct EngineDriver {
    public var engine: AlarmEngine
    public private(set) var now: Instant
    /// Every event so far, in order.
    public private(set) var events: [Event] = []

    public init(campus: Campus, start: Instant = testStart) {
        engine = AlarmEngine(campus: campus, startedAt: start)
        now = start
    }

    /// Seconds since the start, for readable assertions.
    public func seconds(_ e: Event) -> Double { Double((e.timestamp - testStart).milliseconds) / 1000 }

    /// Moves the clock on, firing every timer due on the way; returns the events it caused.
    @discardableResult
    public mutating func advance(by seconds: Double) -> [Event] {
        let target = now + Interval(milliseconds: Int64(seconds * 1000))
        var out: [Event] = []
        var bound = 0
        while let due = engine.nextDeadline, due <= target, bound < 10_000 {
            out += engine.tick(now: max(due, now))
            now = max(due, now)
            bound += 1
        }
        now = target
        events += out
        return out
    }

    /// A reading at the current instant.
    @discardableResult
    public mutating func send(
        _ device: String,
        _ channel: String,
        _ value: ReadingValue,
        selfTest: Bool = false
    ) -> [Event] {
        let reading = Reading(
            device: device,
            channel: ChannelID(channel)!,
            value: value,
            timestamp: now,
            selfTest: selfTest
        )
        let out = engine.ingest(reading, at: now)
        events += out
        return out
    }

    @discardableResult
    public mutating func bridge(_ name: String, online: Bool) -> [Event] {
        let out = engine.bridge(BridgeState(bridge: name, online: online), at: now)
        events += out
        return out
    }

    @discardableResult
    public mutating func acknowledge(_ id: String, by person: String = "duty") throws(EngineError) -> [Event] {
        let out = try engine.acknowledge(id, by: person, at: now)
        events += out
        return out
    }

    @discardableResult
    public mutating func resolve(
        _ id: String,
        by person: String = "duty",
        note: String? = nil
    ) throws(EngineError) -> [Event] {
        let out = try engine.resolve(id, by: person, note: note, at: now)
        events += out
        return out
    }

    /// The events of one type so far.
    public func events(_ type: EventType) -> [Event] { events.filter { $0.type == type } }
}
