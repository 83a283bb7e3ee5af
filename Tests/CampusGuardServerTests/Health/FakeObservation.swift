import CampusGuardCore
import CampusGuardServer
import Synchronization

/// Stands in for the daemon: a snapshot and an engine loop the test sets.
final class FakeObservation: GatewayObservation {
    let metrics = GatewayMetrics(channels: ["duty-webhook", "police"])
    private let state: Mutex<(snapshot: GatewaySnapshot, loop: ContinuousClock.Instant?)>

    init(_ snapshot: GatewaySnapshot = .healthy, loopAgo: Duration? = .milliseconds(300)) {
        state = Mutex((snapshot, loopAgo.map { .now - $0 }))
    }

    var lastEngineLoop: ContinuousClock.Instant? { state.withLock { $0.loop } }
    func snapshot(figures: Bool) -> GatewaySnapshot { state.withLock { $0.snapshot } }

    func set(_ snapshot: GatewaySnapshot) { state.withLock { $0.snapshot = snapshot } }
    func set(loopAgo: Duration?) { state.withLock { $0.loop = loopAgo.map { .now - $0 } } }
}

extension GatewaySnapshot {
    /// One broker and one bus up, the store working, a police link that answers.
    static var healthy: GatewaySnapshot {
        GatewaySnapshot(
            board: .empty,
            engineLoopAge: .milliseconds(300),
            storeFileBytes: 4096,
            outboxPending: 0,
            brokers: [.init(id: "local", up: true)],
            buses: [.init(id: "power-room", up: true)],
            policeLink: .init(id: "police_link", up: true)
        )
    }
}

extension Event {
    static func at(
        _ ms: Int64,
        _ type: EventType,
        alarm: String,
        kind: AlarmKind = .panic,
        channel: String? = nil
    )
        -> Event
    {
        var e = Event(
            timestamp: Instant(millisecondsSinceEpoch: 1_795_000_000_000 + ms),
            type: type,
            alarm: alarm,
            kind: kind,
            severity: kind == .panic ? .critical : .major,
            devices: ["gate-panic-1"],
            location: "gate/1/guard-room",
            reason: type == .deliveryFailed ? "retrying: HTTP 500" : nil,
            channel: channel
        )
        if channel != nil { e.delivery = "\(alarm)/1/\(channel!)/1" }
        return e
    }
}

/// The samples of a Prometheus text: `name{labels}` → value, for the lines that are not comments.
func samples(_ text: String) -> [String: Double] {
    var out: [String: Double] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
            continue
        }
        out[String(line[..<space])] = value
    }
    return out
}
