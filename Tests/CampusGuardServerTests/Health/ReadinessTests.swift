import CampusGuardCore
import CampusGuardServer
import Testing

@Suite("readiness: each part's state and the daemon's")
struct ReadinessTests {
    func state(_ r: Readiness, _ name: String) -> PartHealth? { r.parts.first { $0.name == name } }

    @Test("every part well: ok, parts in a fixed order")
    func healthy() {
        let r = Readiness(snapshot: .healthy, channels: [PartHealth(name: "channel:duty-webhook", state: .ok)])
        #expect(r.status == .ok)
        #expect(
            r.parts.map(\.name) == [
                "engine", "store", "mqtt:local", "modbus:power-room", "police_link", "channel:duty-webhook",
            ]
        )
    }

    @Test("a stalled or unstarted engine loop makes the daemon down")
    func engine() {
        var s = GatewaySnapshot.healthy
        s.engineLoopAge = .seconds(11)
        var r = Readiness(snapshot: s)
        #expect(r.status == .down)
        #expect(state(r, "engine")?.reason == "loop stalled for 11 s")
        s.engineLoopAge = nil
        r = Readiness(snapshot: s)
        #expect(r.status == .down)
        #expect(state(r, "engine")?.reason == "not started")
        s.engineLoopAge = .seconds(9)
        #expect(Readiness(snapshot: s).status == .ok)
    }

    @Test("a degraded store is degraded, not down: alarms still flow from memory")
    func store() {
        var s = GatewaySnapshot.healthy
        s.storeProblem = "read_only: attempt to write a readonly database"
        let r = Readiness(snapshot: s)
        #expect(r.status == .degraded)
        #expect(state(r, "store") == PartHealth(name: "store", state: .degraded, reason: s.storeProblem))
    }

    @Test("one source down is degraded; every source down is down (no sensor heard)")
    func sources() {
        var s = GatewaySnapshot.healthy
        s.brokers = [.init(id: "local", up: false, reason: "connection lost")]
        var r = Readiness(snapshot: s)
        #expect(r.status == .degraded)
        #expect(state(r, "mqtt:local") == PartHealth(name: "mqtt:local", state: .down, reason: "connection lost"))
        s.buses = [.init(id: "power-room", up: false)]
        r = Readiness(snapshot: s)
        #expect(r.status == .down)
        #expect(state(r, "modbus:power-room")?.reason == "down")
        s.brokers = []
        s.buses = []
        #expect(Readiness(snapshot: s).status == .ok, "no sources configured: nothing to be down")
    }

    @Test("police link, uplink and channels down make the daemon degraded; an untested police link is ok")
    func links() {
        var s = GatewaySnapshot.healthy
        s.policeLink = .init(id: "police_link", up: nil)
        var r = Readiness(snapshot: s)
        #expect(r.status == .ok)
        #expect(state(r, "police_link")?.reason == "not tested yet")
        s.policeLink = .init(id: "police_link", up: false, reason: "primary: connect: Connection refused")
        #expect(Readiness(snapshot: s).status == .degraded)
        s = .healthy
        s.uplink = .init(id: "uplink", up: false, reason: "not connected")
        #expect(Readiness(snapshot: s).status == .degraded)
        r = Readiness(
            snapshot: .healthy,
            channels: [PartHealth(name: "channel:duty-webhook", state: .down, reason: "x")]
        )
        #expect(r.status == .degraded)
    }

    @Test("channel states come from the last delivery per channel; the police link is its own part")
    func channels() {
        let m = GatewayMetrics(channels: ["duty-webhook", "police"])
        #expect(m.channelStates().isEmpty, "no delivery yet: no channel parts")
        m.observe([
            .at(0, .deliveryFailed, alarm: "A-1", channel: "duty-webhook"),
            .at(0, .deliveryFailed, alarm: "A-1", channel: "police"),
        ])
        #expect(
            m.channelStates() == [PartHealth(name: "channel:duty-webhook", state: .down, reason: "retrying: HTTP 500")]
        )
        m.observe([.at(9, .deliverySent, alarm: "A-1", channel: "duty-webhook")])
        #expect(m.channelStates() == [PartHealth(name: "channel:duty-webhook", state: .ok)])
    }

    @Test("the JSON names the status and every part, with null for no reason")
    func json() throws {
        var s = GatewaySnapshot.healthy
        s.buses = []
        s.policeLink = nil
        s.storeProblem = "disk_full: \"quoted\""
        let json = Readiness(snapshot: s).json
        #expect(
            json
                == #"{"status":"degraded","parts":[{"name":"engine","state":"ok","reason":null},{"name":"store","state":"degraded","reason":"disk_full: \"quoted\""},{"name":"mqtt:local","state":"ok","reason":null}]}"#
        )
        #expect((try? JSONParser.parse(json)) != nil)
    }
}
