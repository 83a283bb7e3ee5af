// The benchmark's own MQTT clients (campusguard's `MosquittoClient`, libmosquitto): one that
// presses the buttons and pings itself through the broker, and the background publisher.

import CampusGuardMQTT
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// CLOCK_MONOTONIC in nanoseconds: the clock the webhook sink stamps `received_ns` with
/// (Python's `time.clock_gettime_ns(CLOCK_MONOTONIC)`). Not `ContinuousClock`, which on Linux
/// reads CLOCK_BOOTTIME.
func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// A line on stderr.
func warn(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A value behind a lock, for state shared with the clients' network threads.
final class Locked<Value>: @unchecked Sendable {
    // @unchecked Sendable: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Waits for a condition, polling every millisecond, at most `timeout` seconds; true if it held.
func poll(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = monotonicNanoseconds() + UInt64(timeout * 1e9)
    while monotonicNanoseconds() < deadline {
        if condition() { return true }
        usleep(1_000)
    }
    return condition()
}

/// One MQTT client of the benchmark; remembers when each message on its own subscriptions
/// arrived, by payload.
final class BenchClient: Sendable {
    let client: MosquittoClient
    let received = Locked<[String: UInt64]>([:])

    init(port: Int, clientID: String, subscriptions: [String] = []) throws {
        let received = self.received
        let options = MQTTClientOptions(
            endpoint: BrokerEndpoint(host: "127.0.0.1", port: port, tls: false),
            clientID: clientID,
            cleanSession: true,
            keepAliveSeconds: 60
        )
        client = try MosquittoClient(options: options) { event in
            if case .message(let m) = event {
                let now = monotonicNanoseconds()
                received.withLock { $0[String(decoding: m.payload, as: UTF8.self)] = now }
            }
        }
        client.setSubscriptions(subscriptions)
        client.start()
        guard poll(timeout: 5, { client.isConnected }) else {
            client.stop()
            throw BenchError("MQTT client \(clientID) did not connect")
        }
        // Let the SUBACK come back before anything relies on the subscription.
        if !subscriptions.isEmpty { usleep(200_000) }
    }

    /// Publishes at QoS 1; the acknowledgement is not waited for.
    func publish(_ topic: String, _ payload: [UInt8]) {
        do {
            try client.publish(topic: topic, payload: payload, qos: 1)
        } catch {
            warn("publish to \(topic) failed: \(error)")
        }
    }

    func stop() { client.stop() }
}

/// Routine reports from every sensor in turn, `rate` a second, on a thread of its own until
/// stopped: the campus going about its day while the alarms run.
final class BackgroundLoad: Sendable {
    private let client: BenchClient
    private let rate: Double
    private let state = Locked((stop: false, sent: 0, seconds: 0.0))
    private let done = DispatchSemaphore(value: 0)

    init(port: Int, rate: Double) throws {
        client = try BenchClient(port: port, clientID: "bench-background")
        self.rate = rate
    }

    func start() {
        let thread = Thread { [self] in
            let sensors = BenchCampus.sensors
            let start = monotonicNanoseconds()
            var i = 0
            // Paced by the clock in 5 ms steps, so a late step catches up rather than drifting.
            while !state.withLock({ $0.stop }) {
                let due = Int(Double(monotonicNanoseconds() - start) / 1e9 * rate)
                while i < due {
                    let s = i % sensors.count
                    client.publish(
                        "zigbee2mqtt/\(sensors[s].id)",
                        BenchCampus.routinePayload(sensor: s, smoke: sensors[s].smoke, round: i / sensors.count)
                    )
                    i += 1
                }
                usleep(5_000)
            }
            let seconds = Double(monotonicNanoseconds() - start) / 1e9
            state.withLock { $0 = (true, i, seconds) }
            done.signal()
        }
        thread.name = "background load"
        thread.start()
    }

    /// Stops publishing; the messages sent and over how many seconds.
    func stop() -> (sent: Int, seconds: Double) {
        state.withLock { $0.stop = true }
        _ = done.wait(timeout: .now() + 5)
        client.stop()
        return state.withLock { ($0.sent, $0.seconds) }
    }
}
