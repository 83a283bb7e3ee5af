import CampusGuardCore

/// Whether the daemon can do its job, part by part, as `/readyz` reports it.
///
/// The daemon is `down` when the engine's loop has stalled (nothing is decided any more) or
/// when every source is down (it hears no sensor). Anything else that is not well makes it
/// `degraded`: a broken store (alarms still flow from memory), one broker or bus of several,
/// the police link, the uplink, a failing staff channel.
public struct Readiness: Sendable, Hashable {
    public var status: PartHealth.State
    /// In a fixed order: engine, store, brokers, buses, police link, uplink, channels.
    public var parts: [PartHealth]

    /// The engine's loop counts as stalled when it has not gone round for this long (it goes
    /// round at least once a second).
    public static let engineStallLimit = Duration.seconds(10)

    /// The parts of a snapshot; `channels` are the staff channels' last outcomes (see
    /// `GatewayMetrics.channelStates()`).
    public init(snapshot s: GatewaySnapshot, channels: [PartHealth] = []) {
        var parts: [PartHealth] = []
        let engine: PartHealth
        if let age = s.engineLoopAge {
            engine =
                age > Self.engineStallLimit
                ? PartHealth(name: "engine", state: .down, reason: "loop stalled for \(Self.seconds(age)) s")
                : PartHealth(name: "engine", state: .ok)
        } else {
            engine = PartHealth(name: "engine", state: .down, reason: "not started")
        }
        parts.append(engine)
        parts.append(
            PartHealth(name: "store", state: s.storeProblem == nil ? .ok : .degraded, reason: s.storeProblem)
        )
        let sources =
            s.brokers.map { Self.link("mqtt:\($0.id)", $0) } + s.buses.map { Self.link("modbus:\($0.id)", $0) }
        parts += sources
        if let police = s.policeLink {
            parts.append(
                police.up == nil
                    ? PartHealth(name: "police_link", state: .ok, reason: "not tested yet")
                    : Self.link("police_link", police)
            )
        }
        if let uplink = s.uplink { parts.append(Self.link("uplink", uplink)) }
        parts += channels
        self.parts = parts
        if engine.state == .down || (!sources.isEmpty && sources.allSatisfy { $0.state == .down }) {
            status = .down
        } else if parts.contains(where: { $0.state != .ok }) {
            status = .degraded
        } else {
            status = .ok
        }
    }

    private static func link(_ name: String, _ link: GatewaySnapshot.LinkState) -> PartHealth {
        link.up == true
            ? PartHealth(name: name, state: .ok)
            : PartHealth(
                name: name,
                state: .down,
                reason: link.reason ?? (link.up == nil ? "not connected yet" : "down")
            )
    }

    static func seconds(_ d: Duration) -> Int64 { d.components.seconds }

    /// `{"status":"degraded","parts":[{"name":"engine","state":"ok","reason":null},…]}`.
    public var json: String {
        var w = JSONObjectWriter()
        w.string("status", status.rawValue)
        w.raw("parts", "[" + parts.map(\.json).joined(separator: ",") + "]")
        return w.finish()
    }
}

/// One part of the daemon in `/readyz`.
public struct PartHealth: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        case ok, degraded, down
    }

    /// `engine`, `store`, `mqtt:<broker>`, `modbus:<bus>`, `police_link`, `uplink`, `channel:<id>`.
    public var name: String
    public var state: State
    /// Why it is not ok, in words; a note (e.g. `not tested yet`) or nil when ok.
    public var reason: String?

    public init(name: String, state: State, reason: String? = nil) {
        self.name = name
        self.state = state
        self.reason = reason
    }

    var json: String {
        var w = JSONObjectWriter()
        w.string("name", name)
        w.string("state", state.rawValue)
        if let reason { w.string("reason", reason) } else { w.raw("reason", "null") }
        return w.finish()
    }
}
