import CMosquitto
import Foundation
import Synchronization

/// One libmosquitto client with its own network thread: connects, keeps the connection up with
/// capped exponential backoff, (re)subscribes on every connect, and reports what happens.
///
/// The network loop runs on a dedicated thread, never on Swift's shared concurrency pool, since
/// libmosquitto blocks in connect and poll. Events are handed to `onEvent` on that thread; the
/// handler must be quick and must not block (it enqueues).
public final class MosquittoClient: @unchecked Sendable {
    // @unchecked Sendable: `handle` is configured before the thread starts; afterwards it is used
    // by the network thread and, for publish/subscribe/disconnect, from other threads, which
    // libmosquitto allows once `mosquitto_threaded_set(handle, true)` is on (it locks inside).
    // All Swift-side mutable state is in `state`, behind a Mutex.
    private let handle: OpaquePointer
    public let options: MQTTClientOptions
    private let onEvent: @Sendable (MQTTClientEvent) -> Void
    private let state = Mutex(LoopState())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    struct LoopState {
        var subscriptions: [String] = []
        /// Topics dropped while disconnected: the persistent session still holds them, so they
        /// are unsubscribed at the next connect.
        var pendingUnsubscribe: Set<String> = []
        var stopping = false
        var started = false
        var connected = false
        var failures = 0
        /// The broker refused the last CONNECT: the loop's error that follows is that refusal.
        var refused = false
    }

    /// Creates the client; nothing connects until `start()`.
    public init(options: MQTTClientOptions, onEvent: @escaping @Sendable (MQTTClientEvent) -> Void) throws(MQTTError) {
        Self.initializeLibrary
        guard let handle = mosquitto_new(options.clientID, options.cleanSession, nil) else {
            throw MQTTError(
                operation: "mosquitto_new",
                code: MOSQ_ERR_NOMEM.rawValue,
                message: "cannot create a client"
            )
        }
        self.handle = handle
        self.options = options
        self.onEvent = onEvent
        mosquitto_threaded_set(handle, true)
        mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311)
        mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, 1)
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        try configure()
        installCallbacks()
    }

    deinit {
        stop()
        mosquitto_destroy(handle)
    }

    private static let initializeLibrary: Void = {
        mosquitto_lib_init()
    }()

    private func configure() throws(MQTTError) {
        if options.username != nil || options.password != nil {
            let rc = mosquitto_username_pw_set(handle, options.username, options.password)
            guard rc == MOSQ_ERR_SUCCESS.rawValue else { throw .mosquitto("setting the username and password", rc) }
        }
        if options.endpoint.tls {
            let rc: Int32
            if options.caFile == nil && options.certFile == nil {
                rc = mosquitto_int_option(handle, MOSQ_OPT_TLS_USE_OS_CERTS, 1)
            } else {
                rc = mosquitto_tls_set(handle, options.caFile, nil, options.certFile, options.keyFile, nil)
            }
            guard rc == MOSQ_ERR_SUCCESS.rawValue else { throw .mosquitto("setting up TLS", rc) }
        }
    }

    private func installCallbacks() {
        mosquitto_connect_with_flags_callback_set(handle) { _, context, rc, flags in
            guard let context else { return }
            Unmanaged<MosquittoClient>.fromOpaque(context).takeUnretainedValue().didConnect(code: rc, flags: flags)
        }
        mosquitto_message_callback_set(handle) { _, context, message in
            guard let context, let message else { return }
            Unmanaged<MosquittoClient>.fromOpaque(context).takeUnretainedValue().didReceive(message.pointee)
        }
        mosquitto_publish_callback_set(handle) { _, context, mid in
            guard let context else { return }
            Unmanaged<MosquittoClient>.fromOpaque(context).takeUnretainedValue().onEvent(.published(messageID: mid))
        }
    }

    // MARK: - Control

    /// The topics subscribed on every connect.
    public var subscriptions: [String] { state.withLock { $0.subscriptions } }

    /// The topics subscribed (QoS 1) on every connect; takes effect now when connected: the
    /// topics added are subscribed, the topics dropped unsubscribed (the session is persistent:
    /// the broker would otherwise keep sending them).
    public func setSubscriptions(_ topics: [String]) {
        let (connected, added, removed) = state.withLock { s in
            let before = Set(s.subscriptions)
            let after = Set(topics)
            s.subscriptions = topics
            let removed = before.subtracting(after)
            s.pendingUnsubscribe.subtract(after)
            if !s.connected { s.pendingUnsubscribe.formUnion(removed) }
            return (s.connected, topics.filter { !before.contains($0) }, removed.sorted())
        }
        guard connected else { return }
        subscribe(added)
        unsubscribe(removed)
    }

    /// Starts the network thread; it connects and keeps reconnecting until `stop()`.
    public func start() {
        let shouldStart = state.withLock { s in
            guard !s.started else { return false }
            s.started = true
            return true
        }
        guard shouldStart else { return }
        let thread = Thread { [self] in
            runLoop()
            finished.signal()
        }
        thread.name = "mqtt \(options.endpoint)"
        thread.start()
    }

    /// Disconnects cleanly and waits for the network thread to end.
    public func stop() {
        let wasRunning = state.withLock { s in
            guard s.started, !s.stopping else { return false }
            s.stopping = true
            return true
        }
        guard wasRunning else { return }
        mosquitto_disconnect(handle)
        wake.signal()
        finished.wait()
    }

    /// Publishes a message; QoS 1 messages are acknowledged by a `.published` event.
    @discardableResult
    public func publish(
        topic: String,
        payload: [UInt8],
        qos: Int32 = 1,
        retain: Bool = false
    ) throws(MQTTError) -> Int32 {
        var mid: Int32 = 0
        let rc = payload.withUnsafeBytes { bytes in
            mosquitto_publish(handle, &mid, topic, Int32(bytes.count), bytes.baseAddress, qos, retain)
        }
        guard rc == MOSQ_ERR_SUCCESS.rawValue else { throw .mosquitto("publishing to \(topic)", rc) }
        return mid
    }

    public var isConnected: Bool { state.withLock { $0.connected } }

    // MARK: - Network thread

    private func runLoop() {
        var first = true
        var tcpUp = false
        while !state.withLock({ $0.stopping }) {
            if !tcpUp {
                // Non-blocking connects, completed by mosquitto_loop: a broker that does not
                // answer (a dead host on the LAN) never holds the thread, so stop() stays prompt.
                let rc =
                    first
                    ? mosquitto_connect_async(
                        handle,
                        options.endpoint.host,
                        Int32(options.endpoint.port),
                        Int32(options.keepAliveSeconds)
                    )
                    : mosquitto_reconnect_async(handle)
                if rc != MOSQ_ERR_SUCCESS.rawValue {
                    onEvent(.connectionFailed(Self.error("connecting to \(options.endpoint)", rc)))
                    backOff()
                    continue
                }
                first = false
                tcpUp = true
            }
            let rc = mosquitto_loop(handle, 100, 1)
            if rc != MOSQ_ERR_SUCCESS.rawValue {
                tcpUp = false
                let (wasConnected, wasRefused) = state.withLock { s in
                    defer {
                        s.connected = false
                        s.refused = false
                    }
                    return (s.connected, s.refused)
                }
                if state.withLock({ $0.stopping }) { break }
                let error = Self.error("connection to \(options.endpoint)", rc)
                // Lost before the broker's CONNACK (a TLS alert): a failed attempt, not a disconnect.
                // A refusal was already reported by the CONNACK callback.
                if wasConnected {
                    onEvent(.disconnected(error))
                } else if !wasRefused {
                    onEvent(.connectionFailed(error))
                }
                backOff()
            }
        }
        // Flush the DISCONNECT the stop() queued.
        _ = mosquitto_loop(handle, 10, 1)
        state.withLock { $0.connected = false }
    }

    /// Waits the next backoff step (1 s, 2 s, 4 s … up to the cap, with ±20 % jitter), or until stop().
    private func backOff() {
        let failures = state.withLock { s in
            s.failures += 1
            return s.failures
        }
        let base =
            Double(options.reconnectDelay.components.seconds) + Double(options.reconnectDelay.components.attoseconds)
            / 1e18
        let cap = Double(options.reconnectDelayMax.components.seconds)
        let delay = min(base * pow(2, Double(min(failures - 1, 20))), max(cap, base)) * Double.random(in: 0.8...1.2)
        _ = wake.wait(timeout: .now() + delay)
    }

    private func didConnect(code: Int32, flags: Int32) {
        guard code == 0 else {
            state.withLock { $0.refused = true }
            let reason = String(cString: mosquitto_connack_string(code))
            onEvent(.refused(code: code, reason: reason))
            return
        }
        let (topics, dropped) = state.withLock { s in
            s.connected = true
            s.failures = 0
            defer { s.pendingUnsubscribe.removeAll() }
            return (s.subscriptions, s.pendingUnsubscribe.sorted())
        }
        subscribe(topics)
        unsubscribe(dropped)
        onEvent(.connected(sessionPresent: flags & 1 == 1))
    }

    private func subscribe(_ topics: [String]) {
        inBatches(topics, doing: "subscribing to") { count, topics in
            mosquitto_subscribe_multiple(handle, nil, count, topics, 1, 0, nil)
        }
    }

    private func unsubscribe(_ topics: [String]) {
        inBatches(topics, doing: "unsubscribing from") { count, topics in
            mosquitto_unsubscribe_multiple(handle, nil, count, topics, nil)
        }
    }

    /// Calls libmosquitto with the topics as C strings, 100 at a time: a broker limits the size
    /// of one SUBSCRIBE or UNSUBSCRIBE packet. A failure is reported as a disconnection.
    private func inBatches(
        _ topics: [String],
        doing what: String,
        _ call: (Int32, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32
    ) {
        var start = 0
        while start < topics.count {
            let batch = Array(topics[start..<min(start + 100, topics.count)])
            start += batch.count
            var cStrings = batch.map { strdup($0) }
            defer {
                for p in cStrings { free(p) }
            }
            let rc = cStrings.withUnsafeMutableBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: UnsafeMutablePointer<CChar>?.self, capacity: buffer.count) {
                    call(Int32(batch.count), $0)
                }
            }
            if rc != MOSQ_ERR_SUCCESS.rawValue {
                onEvent(.disconnected(.mosquitto("\(what) \(batch.count) topics", rc)))
            }
        }
    }

    private func didReceive(_ message: mosquitto_message) {
        // The payload pointer dies with this call: copy it out.
        let payload: [UInt8]
        if let p = message.payload, message.payloadlen > 0 {
            payload = Array(UnsafeRawBufferPointer(start: p, count: Int(message.payloadlen)))
        } else {
            payload = []
        }
        let topic = message.topic.map { String(cString: $0) } ?? ""
        onEvent(
            .message(
                MQTTMessage(
                    topic: topic,
                    payload: payload,
                    qos: message.qos,
                    retained: message.retain,
                    mid: message.mid
                )
            )
        )
    }

    private static func error(_ operation: String, _ rc: Int32) -> MQTTError {
        if rc == MOSQ_ERR_ERRNO.rawValue {
            return MQTTError(operation: operation, code: rc, message: String(cString: strerror(errno)))
        }
        return .mosquitto(operation, rc)
    }
}
