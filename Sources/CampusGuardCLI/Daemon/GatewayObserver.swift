import CampusGuardCore
import CampusGuardDelivery
import CampusGuardMQTT
import CampusGuardModbus
import CampusGuardServer
import CampusGuardStore

/// The running daemon as the API's `/metrics`, `/readyz` and `/healthz` see it: reads every
/// part's state through its thread-safe accessor, never touching the engine's loop.
public final class GatewayObserver: GatewayObservation {
    public let metrics: GatewayMetrics
    private let engine: EngineService
    private let writer: StoreWriter
    private let sources: [MQTTSource]
    private let pollers: [ModbusBusPoller]
    private let police: PoliceLinkClient?
    private let uplink: UplinkService?
    private let badInput: BadInputLog

    init(
        metrics: GatewayMetrics,
        engine: EngineService,
        writer: StoreWriter,
        sources: [MQTTSource],
        pollers: [ModbusBusPoller],
        police: PoliceLinkClient?,
        uplink: UplinkService?,
        badInput: BadInputLog
    ) {
        self.metrics = metrics
        self.engine = engine
        self.writer = writer
        self.sources = sources
        self.pollers = pollers
        self.police = police
        self.uplink = uplink
        self.badInput = badInput
    }

    public var lastEngineLoop: ContinuousClock.Instant? { engine.lastLoop }

    public func snapshot(figures: Bool) -> GatewaySnapshot {
        // Without figures, no store query: the backlogs and the outbox count stay nil.
        let store = figures ? writer.store : nil
        var storeProblem: String? = nil
        if case .degraded(let reason) = writer.health { storeProblem = reason }
        var backlog: GatewaySnapshot.UplinkBacklog? = nil
        if uplink != nil, let store, let events = try? store.uplinkBacklog(.events),
            let readings = try? store.uplinkBacklog(.readings)
        {
            backlog = .init(events: events.rows, readings: readings.rows)
        }
        var errors: [GatewaySnapshot.InputErrorTotal] = []
        if figures {
            errors = badInput.counts.map {
                GatewaySnapshot.InputErrorTotal(source: "mqtt", kind: $0.key, total: $0.value)
            }
            if !pollers.isEmpty {
                let counters = pollers.map(\.counters)
                errors += [
                    .init(source: "modbus", kind: "timeout", total: counters.map(\.timeouts).reduce(0, +)),
                    .init(source: "modbus", kind: "exception", total: counters.map(\.exceptions).reduce(0, +)),
                    .init(source: "modbus", kind: "connection", total: counters.map(\.connectFailures).reduce(0, +)),
                ]
            }
        }
        return GatewaySnapshot(
            board: engine.board,
            engineLoopAge: engine.lastLoop.map { .now - $0 },
            storeProblem: storeProblem,
            storeFileBytes: figures ? Store.fileBytes(at: writer.path) : nil,
            outboxPending: try? store?.pendingDeliveryCount(),
            uplinkBacklog: backlog,
            brokers: sources.map { s in
                let c = s.connection
                return .init(id: s.brokerID, up: c.connected, reason: c.reason)
            },
            buses: pollers.map { p in
                let b = p.busState
                return .init(id: p.bus.id, up: b.up, reason: b.reason)
            },
            policeLink: police.map { p in
                let l = p.linkState
                return .init(id: "police_link", up: l.up, reason: l.reason)
            },
            uplink: uplink.map { u in
                let up = u.isConnected
                return .init(id: "uplink", up: up, reason: up ? nil : "not connected to the uplink's broker")
            },
            inputErrors: errors
        )
    }
}
