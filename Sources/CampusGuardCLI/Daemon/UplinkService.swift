import CampusGuardCore
import CampusGuardMQTT
import CampusGuardStore
import Logging
import ServiceLifecycle
import Synchronization

/// Store-and-forward to the city / education-bureau platform: the store's events and readings
/// published upstream over MQTT (QoS 1), each stream in order, a row counted as sent only when
/// the upstream broker acknowledges it (PUBACK).
///
/// While the uplink is down everything stays in the store (retention never deletes events);
/// when it is back, every round sends the new events first and then at most `backlogRate`
/// readings a second, so a backlog never holds up an alarm. Sending is at least once: after a
/// reconnect or a restart, rows not acknowledged are sent again, with the same `seq`.
public final class UplinkService: Service, Sendable {
    private let uplink: SiteConfig.Uplink
    private let site: String
    private let writer: StoreWriter
    private let client: MosquittoClient
    private let logger: Logger
    private let clock: @Sendable () -> Instant
    private let state = Mutex(State())

    /// Messages published and not yet acknowledged, at most.
    static let window = 64
    static let round = Duration.milliseconds(50)

    struct State {
        var connected = false
        var reconnected = false
        /// Row ids published (not necessarily acknowledged), per stream.
        var published: [UplinkStream: Int64] = [:]
        /// Acknowledged through, per stream (what the store records).
        var acked: [UplinkStream: Int64] = [:]
        /// Message id → the stream and the last row id it carries, in publishing order.
        var inflight: [(mid: Int32, stream: UplinkStream, through: Int64)] = []
        var ackedMids: Set<Int32> = []
        var budget: Double = 0
        var loaded = false
    }

    public init(
        uplink: SiteConfig.Uplink,
        site: String,
        options: MQTTClientOptions,
        writer: StoreWriter,
        logger: Logger,
        clock: @escaping @Sendable () -> Instant
    ) throws {
        self.uplink = uplink
        self.site = site
        self.writer = writer
        self.logger = logger
        self.clock = clock
        let box = UplinkBox()
        self.client = try MosquittoClient(options: options) { box.service?.handle($0) }
        box.service = self
    }

    /// What the uplink is doing, for health and status lines.
    public struct Status: Sendable, Hashable {
        public var connected: Bool
        public var backlogEvents: Int64
        public var backlogReadings: Int64
        public var oldestUnsent: Instant?
    }

    /// Connected to the upstream broker now (no store query, unlike `status()`).
    public var isConnected: Bool { state.withLock { $0.connected } }

    public func status() -> Status {
        let connected = state.withLock { $0.connected }
        let store = writer.store
        let events = try? store?.uplinkBacklog(.events)
        let readings = try? store?.uplinkBacklog(.readings)
        let oldest = [events?.oldest, readings?.oldest].compactMap { $0 }.min()
        return Status(
            connected: connected,
            backlogEvents: events?.rows ?? 0,
            backlogReadings: readings?.rows ?? 0,
            oldestUnsent: oldest
        )
    }

    public func run() async throws {
        client.start()
        var lastReport = clock()
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                try? await Task.sleep(for: Self.round)
                await sendRound()
                let now = clock()
                if now - lastReport >= .seconds(60) {
                    lastReport = now
                    report()
                }
            }
        } onGracefulShutdown: {
        }
        await recordAcks()
        client.stop()
    }

    func handle(_ event: MQTTClientEvent) {
        switch event {
        case .connected:
            state.withLock { s in
                s.connected = true
                s.reconnected = true
            }
            logger.notice("uplink connected", metadata: ["url": "\(uplink.url)"])
        case .disconnected(let error), .connectionFailed(let error):
            let was = state.withLock { s in
                defer { s.connected = false }
                return s.connected
            }
            if was { logger.warning("uplink down; keeping everything in the store", metadata: ["error": "\(error)"]) }
        case .refused(_, let reason):
            logger.error("uplink broker refused the connection", metadata: ["reason": "\(reason)"])
        case .published(let mid):
            state.withLock { _ = $0.ackedMids.insert(mid) }
        case .message:
            break
        }
    }

    /// Records acknowledged rows, then publishes events and, within the rate, readings.
    private func sendRound() async {
        guard let store = writer.store else { return }
        await recordAcks()
        let (connected, start) = state.withLock { s -> (Bool, Bool) in
            if s.reconnected {
                // What was in flight may be lost: send again from the acknowledged rows.
                s.reconnected = false
                s.inflight.removeAll()
                s.ackedMids.removeAll()
                s.published = s.acked
            }
            return (s.connected, !s.loaded)
        }
        if start {
            for stream in UplinkStream.allCases {
                let through = (try? store.uplinkSentThrough(stream)) ?? 0
                state.withLock { s in
                    s.acked[stream] = through
                    s.published[stream] = through
                }
            }
            state.withLock { $0.loaded = true }
        }
        guard connected else { return }
        state.withLock { s in
            s.budget = min(s.budget + Double(uplink.backlogRate) * 0.05, Double(uplink.backlogRate))
        }
        publish(.events, from: store, limit: 1)
        publish(.readings, from: store, limit: uplink.readingsPerMessage)
    }

    private func publish(_ stream: UplinkStream, from store: Store, limit: Int) {
        while true {
            let (after, room, budget) = state.withLock { s in
                (s.published[stream] ?? 0, Self.window - s.inflight.count, s.budget)
            }
            guard room > 0 else { return }
            let take = stream == .readings ? min(limit, Int(budget)) : limit
            guard take > 0, let rows = try? store.uplinkRows(stream, after: after, limit: take), let last = rows.last
            else { return }
            let payload = Self.payload(stream, site: site, rows: rows)
            let topic = uplink.topicPrefix + "/" + stream.rawValue
            do {
                let mid = try client.publish(topic: topic, payload: Array(payload.utf8), qos: 1)
                state.withLock { s in
                    s.published[stream] = last.id
                    s.inflight.append((mid, stream, last.id))
                    if stream == .readings { s.budget -= Double(rows.count) }
                }
            } catch {
                return
            }
        }
    }

    /// Moves each stream's acknowledged position over the messages acknowledged in order, and
    /// records it in the store.
    private func recordAcks() async {
        let advanced: [UplinkStream: Int64] = state.withLock { s in
            var moved: [UplinkStream: Int64] = [:]
            while let first = s.inflight.first, s.ackedMids.contains(first.mid) {
                s.inflight.removeFirst()
                s.ackedMids.remove(first.mid)
                s.acked[first.stream] = first.through
                moved[first.stream] = first.through
            }
            return moved
        }
        guard let store = writer.store else { return }
        for (stream, through) in advanced {
            do {
                try await store.markUplinked(stream, through: through)
            } catch {
                logger.error("uplink: cannot record progress", metadata: ["error": "\(error)"])
            }
        }
    }

    private func report() {
        let s = status()
        guard s.backlogEvents + s.backlogReadings > 0 else { return }
        logger.notice(
            "uplink backlog",
            metadata: [
                "connected": "\(s.connected)", "events": "\(s.backlogEvents)", "readings": "\(s.backlogReadings)",
                "oldest": "\(s.oldestUnsent.map(RFC3339.format) ?? "-")",
            ]
        )
    }

    /// `{"site":…,"seq":N,"event":{…}}` for an event; `{"site":…,"first":N,"last":M,"readings":[…]}`.
    static func payload(_ stream: UplinkStream, site: String, rows: [UplinkRow]) -> String {
        var w = JSONObjectWriter()
        w.string("site", site)
        switch stream {
        case .events:
            w.raw("seq", String(rows[0].id))
            w.raw("event", rows[0].line)
        case .readings:
            w.raw("first", String(rows[0].id))
            w.raw("last", String(rows[rows.count - 1].id))
            w.raw("readings", "[" + rows.map(\.line).joined(separator: ",") + "]")
        }
        return w.finish()
    }
}

/// Lets the client's callback reach the service that owns the client, without a retain cycle.
private final class UplinkBox: @unchecked Sendable {
    // @unchecked Sendable: `service` is written once in UplinkService.init, before the client's
    // network thread starts (run() starts it), and only read afterwards.
    weak var service: UplinkService?
}
