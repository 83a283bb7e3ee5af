// The benchmark's own MQTT clients (publishers, a session cleaner) and the campusguard instance
// under test, wired by `Gateway` from campusguard.yaml text exactly as `campusguard run` wires it.

import CampusGuardCLI
import CampusGuardConfig
import CampusGuardCore
import CampusGuardMQTT
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Waits for a condition, polling every millisecond, at most `timeout` seconds; true if it held.
func poll(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
    while ContinuousClock.now < deadline {
        if condition() { return true }
        usleep(1_000)
    }
    return condition()
}

func clientOptions(port: Int, clientID: String, cleanSession: Bool = true) -> MQTTClientOptions {
    MQTTClientOptions(
        endpoint: BrokerEndpoint(host: "127.0.0.1", port: port, tls: false),
        clientID: clientID,
        cleanSession: cleanSession,
        keepAliveSeconds: 60
    )
}

/// One publishing client (libmosquitto through campusguard's own `MosquittoClient`), which counts
/// its acknowledged publishes: PUBACKs at QoS 1; at QoS 0 libmosquitto reports a message once it
/// is written to the socket.
final class Publisher: Sendable {
    let client: MosquittoClient
    private let state: Locked<State>
    /// Messages received on the client's own subscriptions, by payload, when they arrived.
    let received: Locked<[String: ContinuousClock.Instant]>

    struct State {
        /// Both monotonic: publishes handed to libmosquitto, and their acknowledgements.
        var published = 0
        var acked = 0
        var target = Int.max
        var doneAt: ContinuousClock.Instant?
    }

    init(port: Int, clientID: String, subscriptions: [String] = []) throws {
        let state = Locked(State())
        let received = Locked<[String: ContinuousClock.Instant]>([:])
        self.state = state
        self.received = received
        client = try MosquittoClient(options: clientOptions(port: port, clientID: clientID)) { event in
            switch event {
            case .published:
                let now = ContinuousClock.now
                state.withLock { s in
                    s.acked += 1
                    if s.acked == s.target { s.doneAt = now }
                }
            case .message(let m):
                let now = ContinuousClock.now
                received.withLock { $0[String(decoding: m.payload, as: UTF8.self)] = now }
            default:
                break
            }
        }
        client.setSubscriptions(subscriptions)
        client.start()
        guard poll(timeout: 5, { client.isConnected }) else {
            client.stop()
            throw BenchError("publisher \(clientID) did not connect")
        }
        // Let the SUBACK come back before anything relies on the subscription.
        if !subscriptions.isEmpty { usleep(200_000) }
    }

    /// Publishes every message as fast as the client takes them, keeping at most `window`
    /// unacknowledged (libmosquitto itself keeps 20 QoS 1 messages in flight and queues the
    /// rest); returns when the last is acknowledged (or `timeout` seconds have passed) and when
    /// that was.
    func publishAll(
        _ messages: [Workload.Message],
        qos: Int32,
        window: Int = 2_000,
        timeout: Double = 60
    )
        -> (start: ContinuousClock.Instant, done: ContinuousClock.Instant?, acked: Int)
    {
        // Earlier publishes (a probe) acknowledged first, so that none is counted for this batch.
        _ = poll(timeout: 5) { state.withLock { $0.acked >= $0.published } }
        let base = state.withLock { s in
            s.acked = s.published
            s.target = s.published + messages.count
            s.doneAt = nil
            return s.published
        }
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int(timeout * 1000))
        var sent = 0
        for m in messages {
            while sent - (state.withLock { $0.acked } - base) >= window, ContinuousClock.now < deadline {
                usleep(100)
            }
            if ContinuousClock.now > deadline { break }
            do {
                try client.publish(topic: m.topic, payload: m.payload, qos: qos)
                sent += 1
                state.withLock { $0.published += 1 }
            } catch {
                warn("publish failed: \(error)")
                break
            }
        }
        let remaining = max(.zero, deadline - ContinuousClock.now)
        _ = poll(timeout: remaining.seconds + 0.001) { state.withLock { $0.doneAt != nil } }
        let (done, acked) = state.withLock { ($0.doneAt, $0.acked - base) }
        return (start, done, acked)
    }

    /// One message, unpaced (the acknowledgement is counted, not waited for).
    func publish(_ topic: String, _ payload: [UInt8], qos: Int32 = 1) {
        do {
            try client.publish(topic: topic, payload: payload, qos: qos)
            state.withLock { $0.published += 1 }
        } catch {
            warn("publish failed: \(error)")
        }
    }

    var acked: Int { state.withLock { $0.acked } }

    func stop() { client.stop() }
}

/// A message to the last of the gateway's subscriptions (they are sent in sorted order, in
/// batches): once it comes back, every subscription is in place. Probing an earlier topic is not
/// enough: a consumer that disconnects then loses whatever comes for the topics not yet subscribed.
enum Probe {
    static func message(campus: Campus) -> (topic: String, payload: [UInt8]) {
        let topic = MQTTSource.subscriptions(campus: campus, brokerID: "local").last!
        if topic.hasSuffix("/availability") || topic.hasSuffix("/bridge/state") {
            return (topic, Array(#"{"state":"online"}"#.utf8))
        }
        return (topic, Array(#"{"battery":90,"linkquality":120}"#.utf8))
    }
}

/// Drops a persistent session from the broker: a clean-session CONNECT with the same client id.
func clearSession(port: Int, clientID: String) {
    guard let client = try? MosquittoClient(options: clientOptions(port: port, clientID: clientID), onEvent: { _ in })
    else { return }
    client.start()
    _ = poll(timeout: 5) { client.isConnected }
    client.stop()
}

/// What the engine's output closure saw: when each button's `alarm.raised` (panic) arrived.
final class EventWatcher: Sendable {
    private let state = Locked(State())

    struct State {
        var raised: [String: ContinuousClock.Instant] = [:]
        var events = 0
    }

    /// The output closure: stamps first, then looks.
    func observe(_ events: [Event]) {
        let now = ContinuousClock.now
        state.withLock { s in
            s.events += events.count
            for e in events where e.type == .alarmRaised && e.kind == .panic {
                for d in e.devices where s.raised[d] == nil { s.raised[d] = now }
            }
        }
    }

    func raised(_ device: String) -> ContinuousClock.Instant? { state.withLock { $0.raised[device] } }
    var eventCount: Int { state.withLock { $0.events } }

    /// Waits (at most `timeout` seconds) for the panic alarm of `device`.
    func wait(for device: String, timeout: Double) -> ContinuousClock.Instant? {
        _ = poll(timeout: timeout) { raised(device) != nil }
        return raised(device)
    }
}

/// One campusguard gateway as `campusguard run` builds it (`Gateway` from campusguard.yaml text):
/// the MQTT source on its network thread, the inbox and `EngineService`, whose output goes to
/// an `EventWatcher`. The parts are driven directly rather than through a `ServiceGroup`, so
/// that the benchmark chooses when the client connects.
final class CampusGuardInstance {
    let gateway: Gateway
    let source: MQTTSource
    let campus: Campus
    let watcher = EventWatcher()
    let loadSeconds: Double
    private var engineTask: Task<Void, Never>?
    private let port: Int
    let clientID: String

    init(port: Int, clientID: String, logger: Logger) throws {
        self.port = port
        self.clientID = clientID
        let begin = ContinuousClock.now
        let loaded = try ConfigLoader.load(
            text: Workload.configText(port: port, clientID: clientID),
            file: "campusguard.yaml",
            directory: "."
        )
        campus = loaded.campus
        let watcher = self.watcher
        gateway = try Gateway(loaded: loaded, logger: logger) { watcher.observe($0) }
        loadSeconds = (ContinuousClock.now - begin).seconds
        guard gateway.sources.count == 1 else { throw BenchError("expected one MQTT source") }
        source = gateway.sources[0]
    }

    func startEngine() {
        let engine = gateway.engine
        engineTask = Task.detached { try? await engine.run() }
    }

    /// Connects; with `probe`, also waits until a message published to its last subscription has
    /// come back through the source: the client subscribes in order, so all 22,201 are in place.
    func connect(probe: Publisher?) throws {
        source.client.start()
        guard poll(timeout: 10, { source.client.isConnected }) else {
            throw BenchError("campusguard (\(clientID)) did not connect")
        }
        guard let probe else { return }
        let before = source.counts.messages
        let (topic, payload) = Probe.message(campus: campus)
        for _ in 0..<50 {
            probe.publish(topic, payload)
            if poll(timeout: 0.2, { source.counts.messages > before }) { return }
        }
        throw BenchError("campusguard (\(clientID)) never received its probe message")
    }

    /// Disconnects, lets the engine drain the inbox and stop, and drops the broker session.
    func stop(clearingSession: Bool = true) async {
        source.client.stop()
        gateway.inbox.close()
        await engineTask?.value
        engineTask = nil
        if clearingSession { clearSession(port: port, clientID: clientID) }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1_000 }
}

/// A `LogHandler` writing `StreamLogHandler`'s format to a file: the gateway logs every alarm, as
/// `campusguard run` does to stderr, without flooding the benchmark's terminal.
struct FileLogHandler: LogHandler {
    final class Sink: @unchecked Sendable {
        // @unchecked Sendable: the FILE is only written under `lock`.
        let lock = NSLock()
        let file: UnsafeMutablePointer<FILE>?
        init(path: String) { file = fopen(path, "a") }
        func write(_ line: String) {
            lock.lock()
            defer { lock.unlock() }
            if let file { fputs(line, file) }
        }
    }

    let label: String
    let sink: Sink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let meta =
            all.isEmpty
            ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        var t = time(nil)
        var tm = tm()
        localtime_r(&t, &tm)
        var buffer = [CChar](repeating: 0, count: 64)
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &tm)
        let stamp = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        sink.write("\(stamp) \(event.level) \(label) :\(meta) \(event.message)\n")
    }
}
