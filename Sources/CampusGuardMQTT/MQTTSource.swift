import CampusGuardCore
import Logging
import ServiceLifecycle
import Synchronization

/// The MQTT side of the gateway for one broker: a persistent-session client subscribed (QoS 1)
/// to its devices' state and availability topics and their bridges' state, turning messages
/// into readings by profile and handing them on without ever blocking the network thread.
public final class MQTTSource: Service, Sendable {
    public let brokerID: String
    public let client: MosquittoClient
    /// Replaced by a config reload; the network thread takes a copy per message.
    private let decoder: Mutex<PayloadDecoder>
    private let deliver: @Sendable (SourceBatch) -> Bool
    private let badInput: BadInputLog
    private let logger: Logger
    private let clock: @Sendable () -> Instant
    private let counters = Mutex(Counters())

    /// What the source has seen, for status and tests.
    public struct Counters: Sendable, Hashable {
        public var messages = 0
        public var readings = 0
        public var connects = 0
        public var refusals = 0
        public var connectionFailures = 0
        public var disconnects = 0
        public var dropped = 0
        public var lastRefusal: String?
        /// Connected to the broker now.
        public var connected = false
        /// Why the last connection attempt failed or the connection was lost; nil once connected.
        public var lastConnectionError: String?
    }

    /// - Parameters:
    ///   - deliver: takes a batch for the engine; returns false when it had to drop it (queue full).
    ///   - clock: the wall clock, as an `Instant`, for stamping readings on arrival.
    public init(
        brokerID: String,
        options: MQTTClientOptions,
        campus: Campus,
        badInput: BadInputLog,
        logger: Logger,
        clock: @escaping @Sendable () -> Instant,
        deliver: @escaping @Sendable (SourceBatch) -> Bool
    ) throws(MQTTError) {
        self.brokerID = brokerID
        self.decoder = Mutex(PayloadDecoder(campus: campus))
        self.deliver = deliver
        self.badInput = badInput
        self.logger = logger
        self.clock = clock
        let box = EventBox()
        self.client = try MosquittoClient(options: options) { event in box.source?.handle(event) }
        box.source = self
        client.setSubscriptions(Self.subscriptions(campus: campus, brokerID: brokerID))
    }

    /// The exact topics of this broker's devices: state, availability and bridge state. Exact
    /// rather than wildcards: a wildcard would also deliver other devices' traffic (and the
    /// `/set` commands others publish), which the gateway would then have to parse and drop.
    public static func subscriptions(campus: Campus, brokerID: String) -> [String] {
        let firstBroker = campus.config.mqttBrokers.first?.id
        var topics: Set<String> = []
        for d in campus.devices where (d.config.broker ?? firstBroker) == brokerID {
            if let t = d.stateTopic { topics.insert(t) }
            if let t = d.availabilityTopic { topics.insert(t) }
            if let b = d.bridge { topics.insert(b + "/bridge/state") }
        }
        return topics.sorted()
    }

    public var counts: Counters { counters.withLock { $0 } }

    /// Connected to the broker now, and if not, why (for health checks and metrics).
    public var connection: (connected: Bool, reason: String?) {
        counters.withLock { c in (c.connected, c.connected ? nil : c.lastConnectionError ?? "not connected yet") }
    }

    /// Takes a reloaded campus: messages are decoded by its devices from now on, its new
    /// topics are subscribed and the topics no device uses any more unsubscribed. Returns
    /// the topics added and removed.
    @discardableResult
    public func reconfigure(campus: Campus) -> (added: [String], removed: [String]) {
        let before = Set(client.subscriptions)
        let topics = Self.subscriptions(campus: campus, brokerID: brokerID)
        decoder.withLock { $0 = PayloadDecoder(campus: campus) }
        client.setSubscriptions(topics)
        let after = Set(topics)
        return (after.subtracting(before).sorted(), before.subtracting(after).sorted())
    }

    /// Connects and stays connected until graceful shutdown, then disconnects cleanly.
    public func run() async throws {
        logger.info(
            "MQTT source starting",
            metadata: [
                "broker": "\(brokerID)", "endpoint": "\(client.options.endpoint)",
                "client_id": "\(client.options.clientID)",
            ]
        )
        client.start()
        try? await gracefulShutdown()
        client.stop()
        logger.info("MQTT source stopped", metadata: ["broker": "\(brokerID)"])
    }

    // MARK: - Network thread

    func handle(_ event: MQTTClientEvent) {
        switch event {
        case .message(let message):
            receive(message)
        case .connected(let sessionPresent):
            counters.withLock { c in
                c.connects += 1
                c.connected = true
                c.lastConnectionError = nil
            }
            logger.info(
                "MQTT connected",
                metadata: ["broker": "\(brokerID)", "session_present": "\(sessionPresent)"]
            )
        case .refused(let code, let reason):
            let first = counters.withLock { c in
                c.refusals += 1
                c.lastRefusal = reason
                c.connected = false
                c.lastConnectionError = "refused: \(reason)"
                return c.refusals == 1
            }
            // Every refusal is retried with backoff; the reason is logged once, then every 10th time.
            let n = counts.refusals
            if first || n % 10 == 0 {
                logger.error(
                    "MQTT broker refused the connection; retrying with backoff",
                    metadata: ["broker": "\(brokerID)", "code": "\(code)", "reason": "\(reason)", "attempts": "\(n)"]
                )
            }
        case .connectionFailed(let error):
            let n = counters.withLock { c in
                c.connectionFailures += 1
                c.connected = false
                c.lastConnectionError = "unreachable: \(error)"
                return c.connectionFailures
            }
            if n == 1 || n % 10 == 0 {
                logger.warning(
                    "MQTT broker unreachable; retrying with backoff",
                    metadata: ["broker": "\(brokerID)", "error": "\(error)", "attempts": "\(n)"]
                )
            }
        case .disconnected(let error):
            counters.withLock { c in
                c.disconnects += 1
                c.connectionFailures = 0
                c.connected = false
                c.lastConnectionError = "connection lost: \(error)"
            }
            logger.warning(
                "MQTT connection lost; reconnecting",
                metadata: ["broker": "\(brokerID)", "error": "\(error)"]
            )
        case .published:
            break
        }
    }

    private func receive(_ message: MQTTMessage) {
        let now = clock()
        counters.withLock { $0.messages += 1 }
        let decoder = self.decoder.withLock { $0 }
        if message.retained && decoder.isStateTopic(message.topic) {
            // A retained state is the broker's old copy (possibly last week's smoke: true); the
            // device's next message says how it is now. Availability and bridge state, also
            // retained, are current by design and are used.
            badInput.record(kind: BadInputLog.retainedStale, topic: message.topic, detail: "retained state message")
            return
        }
        let decoded = decoder.decode(topic: message.topic, payload: message.payload, at: now, source: .mqtt)
        for problem in decoded.problems {
            badInput.record(
                kind: problem.kind.rawValue,
                topic: problem.topic,
                detail: problem.detail,
                device: problem.device
            )
        }
        guard !decoded.readings.isEmpty || decoded.bridgeState != nil else { return }
        let alarmBearing = decoded.alarmBearing
        counters.withLock { $0.readings += decoded.readings.count }
        let batch = SourceBatch(
            readings: decoded.readings,
            bridgeState: decoded.bridgeState,
            receivedAt: now,
            alarmBearing: alarmBearing,
            redeliveryKey: message.redeliveryKey(broker: brokerID)
        )
        if !deliver(batch) {
            counters.withLock { $0.dropped += 1 }
            badInput.record(
                kind: BadInputLog.dropped,
                topic: message.topic,
                detail: "engine queue full: routine message dropped"
            )
        }
    }
}

/// Lets the client's callback reach the source that owns the client, without a retain cycle.
private final class EventBox: @unchecked Sendable {
    // @unchecked Sendable: `source` is written once in MQTTSource.init, before the client's
    // network thread starts (start() comes later), and only read afterwards.
    weak var source: MQTTSource?
}
