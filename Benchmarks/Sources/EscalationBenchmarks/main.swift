// Escalation latency: a panic press published on MQTT → the duty webhook received by its sink,
// and → the police receiver's ACK, with the whole gateway in this process as `campusguard run`
// builds it (`Gateway` from campusguard.yaml text: MQTT source, engine, store, delivery with
// its outbox, webhook channel, police link, API) against real peers it starts itself: mosquitto,
// scripts/webhook_sink.py (checking every signature) and pysiaalarm (scripts/sia_receiver.py).
//
//     cd Benchmarks && swift run -c release EscalationBenchmarks [--alarms N (300)] [--background MSGS_PER_S (1000)]
//
// 3,000 sensors in 20 buildings send routine reports in the background (a client of their own,
// paced), while another client presses N distinct panic buttons (a panic latches: the same
// button again is not a new alarm), 50–100 ms apart, after 10 warm-up presses. Every time is
// CLOCK_MONOTONIC, the clock the sink stamps `received_ns` with. Per press, from just before
// `publish`:
// - alarm.raised: the engine's event handed to the outputs (its commit done): the floor;
// - delivery.planned: escalation has committed the outbox rows and the planned events;
// - webhook received: the sink has read the request's body (its `received_ns`);
// - webhook / police delivery.sent: the answer or the ACK in hand, the outbox row updated and
//   the `delivery.sent` event committed: the ACK's arrival plus two store commits (the quiet
//   receiver prints nothing, so this is the closest honest stamp of the ACK; see docs/BENCHMARKS.md).
// Also an MQTT ping (publish → broker → the same client) between presses: the broker's floor.
// ESCALATION_BENCH_KEEP=1 keeps the gateway's store and log (under the temporary directory).
// Exit 0 with the report, 1 when a peer or the gateway cannot be set up.

import BenchmarkPayloads
import CampusGuardCLI
import CampusGuardConfig
import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Foundation
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

var alarmCount = 300
var backgroundRate = 1_000.0
do {
    var args = CommandLine.arguments.dropFirst()
    while let a = args.popFirst() {
        switch a {
        case "--alarms": alarmCount = max(1, min(args.popFirst().flatMap(Int.init) ?? alarmCount, 5_000))
        case "--background": backgroundRate = max(0, args.popFirst().flatMap(Double.init) ?? backgroundRate)
        default:
            print("usage: EscalationBenchmarks [--alarms N (300, at most 5000)] [--background MSGS_PER_S (1000)]")
            exit(a == "--help" || a == "-h" ? 0 : 2)
        }
    }
}
let warmUp = 10
let target = 20.0  // ms, p99

let runStart = monotonicNanoseconds()
func progress(_ s: String) {
    print(String(format: "[%5.1f s] ", Double(monotonicNanoseconds() - runStart) / 1e9) + s)
    fflush(nil)
}
/// What to stop before exiting early, last started first: `exit` leaves child processes running.
var cleanUps: [() -> Void] = []
@MainActor func fail(_ message: String) -> Never {
    for c in cleanUps.reversed() { c() }
    warn("EscalationBenchmarks: \(message)")
    exit(1)
}

// MARK: - Peers and the gateway

let directory = TemporaryDirectory("escalation-bench")
cleanUps.append { try? FileManager.default.removeItem(atPath: directory.path) }
let broker: MosquittoBroker
let sink: WebhookSink
let receiver: SIAReceiver
let endpoints: BenchCampus.Endpoints
do {
    // Not verbose: logging every packet would slow the broker. No persistence.
    let b = try MosquittoBroker(
        extraConfig: "allow_anonymous true\nmax_queued_messages 0\nlog_type error\nlog_type warning",
        persistent: false
    )
    cleanUps.append { b.stop() }
    let s = try WebhookSink(verify: "generic", secret: BenchCampus.secret)
    cleanUps.append { s.stop() }
    let r = try SIAReceiver(quiet: true)
    cleanUps.append {
        r.stop()
        try? FileManager.default.removeItem(at: r.output)
    }
    (broker, sink, receiver) = (b, s, r)
    endpoints = BenchCampus.Endpoints(
        brokerPort: broker.port,
        sinkURL: sink.url,
        policePort: receiver.port,
        apiPort: try FreePort.find(),
        directory: directory.path
    )
    try (BenchCampus.secret + "\n").write(toFile: directory.path + "/webhook.secret", atomically: true, encoding: .utf8)
    try "".write(toFile: directory.path + "/tokens", atomically: true, encoding: .utf8)
} catch {
    fail("cannot start the peers (scripts/setup.sh installs mosquitto and pysiaalarm): \(error)")
}
progress("mosquitto :\(broker.port), webhook sink :\(sink.port), pysiaalarm :\(receiver.port)")

let logSink = FileLogHandler.Sink(path: directory.path + "/campusguard.log")
let logger = Logger(label: "campusguard") { FileLogHandler(label: $0, sink: logSink) }
let observer = EscalationObserver(channel: BenchCampus.channelID)
let buttons = alarmCount + warmUp
let gateway: Gateway
let campus: Campus
do {
    let loaded = try ConfigLoader.load(
        text: BenchCampus.configText(buttons: buttons, endpoints),
        file: "campusguard.yaml",
        directory: directory.path
    )
    campus = loaded.campus
    gateway = try Gateway(loaded: loaded, logger: logger) { observer.observe($0) }
} catch {
    fail("cannot build the gateway: \(error)")
}
let source = gateway.sources[0]
let group = ServiceGroup(
    configuration: .init(
        services: gateway.services.map { .init(service: $0) },
        gracefulShutdownSignals: [],
        logger: logger
    )
)
let running = Task.detached { try await group.run() }
progress("gateway: \(BenchCampus.sensors.count) sensors + \(buttons) panic buttons, 1 webhook channel, police link")

let alarms: BenchClient
do {
    alarms = try BenchClient(port: broker.port, clientID: "bench-alarms", subscriptions: ["bench/ping"])
    // Every subscription in place: a message to the last one (they go out in order) comes through.
    guard poll(timeout: 15, { source.client.isConnected }) else { throw BenchError("the gateway did not connect") }
    let topic = MQTTSource.subscriptions(campus: campus, brokerID: "local").last!
    let before = source.counts.messages
    var through = false
    for _ in 0..<50 where !through {
        let availability = topic.hasSuffix("/availability") || topic.hasSuffix("/bridge/state")
        alarms.publish(
            topic,
            Array((availability ? #"{"state":"online"}"# : #"{"battery":90,"linkquality":120}"#).utf8)
        )
        through = poll(timeout: 0.2) { source.counts.messages > before }
    }
    guard through else { throw BenchError("the gateway never received its probe") }
} catch {
    fail("\(error)")
}

// MARK: - The run

let background: BackgroundLoad
do { background = try BackgroundLoad(port: broker.port, rate: backgroundRate) } catch { fail("\(error)") }
background.start()
usleep(2_000_000)  // the background settles first
progress("background: \(Int(backgroundRate)) msg/s; \(warmUp) warm-up presses")
let warmButtons = (0..<warmUp).map(BenchCampus.buttonID)
for b in warmButtons {
    alarms.publish("zigbee2mqtt/\(b)", BenchCampus.pressPayload)
    usleep(100_000)
}
_ = poll(timeout: 10) { observer.allSent(warmButtons) }

progress("\(alarmCount) panic presses, 50–100 ms apart")
let loadBefore = MachineLoad.now()
let cpuBefore = processCPUSeconds()
let sourceBefore = source.counts.messages
let measureStart = monotonicNanoseconds()
var rng = SplitMix64(seed: 0xE5CA_1A7E)
var pressed: [(button: String, at: UInt64)] = []
var pinged: [(id: String, at: UInt64)] = []
for i in 0..<alarmCount {
    let button = BenchCampus.buttonID(warmUp + i)
    let gap = rng.int(in: 50_000...100_000)
    let t0 = monotonicNanoseconds()
    alarms.publish("zigbee2mqtt/\(button)", BenchCampus.pressPayload)
    pressed.append((button, t0))
    usleep(useconds_t(gap / 2))
    let id = "ping-\(i)"
    let p0 = monotonicNanoseconds()
    alarms.publish("bench/ping", Array(id.utf8))
    pinged.append((id, p0))
    usleep(useconds_t(gap - gap / 2))
}
let allDone = poll(timeout: 15) { observer.allSent(pressed.map(\.button)) }
let measureSeconds = Double(monotonicNanoseconds() - measureStart) / 1e9
let cpuSeconds = processCPUSeconds() - cpuBefore
let loadAfter = MachineLoad.now()
let sourceMessages = source.counts.messages - sourceBefore
let (backgroundSent, backgroundSeconds) = background.stop()
let requests = sink.requests
let state = observer.snapshot
let dropped = source.counts.dropped + gateway.inbox.droppedCount

progress("stopping the gateway")
alarms.stop()
await group.triggerGracefulShutdown()
let stopped = Locked(false)
Task.detached {
    _ = try? await running.value
    stopped.withLock { $0 = true }
}
_ = poll(timeout: 20) { stopped.withLock { $0 } }
sink.stop()
receiver.stop()
broker.stop()
try? FileManager.default.removeItem(at: receiver.output)
// The store and the gateway's log, kept on request for a closer look.
let keep = ProcessInfo.processInfo.environment["ESCALATION_BENCH_KEEP"] == "1"
if keep {
    let kept = FileManager.default.temporaryDirectory.appendingPathComponent("escalation-bench-\(getpid())").path
    try? FileManager.default.moveItem(atPath: directory.path, toPath: kept)
    progress("store and log kept in \(kept)")
}
try? FileManager.default.removeItem(atPath: directory.path)

// MARK: - Report

/// The first request for each button's alarm.raised, when the sink had read it; and how many
/// requests' signatures the sink verified.
var sinkReceived: [String: UInt64] = [:]
for r in requests where r.headers["x-campusguard-event"] == "alarm.raised" {
    if let devices = r.json?["devices"] as? [String], let button = devices.first, sinkReceived[button] == nil {
        sinkReceived[button] = r.receivedNanoseconds
    }
}
let verified = requests.filter { $0.verified == true }.count

func ms(_ from: UInt64?, _ to: UInt64?) -> Double? {
    guard let from, let to else { return nil }
    return Double(Int64(bitPattern: to &- from)) / 1e6
}
@MainActor func path(_ name: String, _ value: (String, UInt64, EscalationObserver.Stamps) -> Double?) -> Latencies {
    Latencies(
        name: name,
        samples: pressed.compactMap { p in state.stamps[p.button].flatMap { value(p.button, p.at, $0) } }
    )
}
let raised = path("publish → alarm.raised (floor)") { _, t0, s in ms(t0, s.raised) }
let paths = [
    raised,
    path("publish → delivery.planned (webhook)") { _, t0, s in ms(t0, s.webhookPlanned) },
    path("**publish → webhook received by the sink**") { b, t0, _ in ms(t0, sinkReceived[b]) },
    path("publish → webhook delivery.sent") { _, t0, s in ms(t0, s.webhookSent) },
    path("**publish → police ACK (delivery.sent)**") { _, t0, s in ms(t0, s.policeSent) },
    Latencies(
        name: "MQTT ping: publish → same client",
        samples: pinged.compactMap { p in ms(p.at, alarms.received.withLock { $0[p.id] }) }
    ),
]
let stages = [
    path("alarm.raised → delivery.planned") { _, _, s in ms(s.raised, s.webhookPlanned) },
    path("delivery.planned → sink received") { b, _, s in ms(s.webhookPlanned, sinkReceived[b]) },
    path("sink received → webhook delivery.sent") { b, _, s in ms(sinkReceived[b], s.webhookSent) },
    path("delivery.planned → police delivery.sent") { _, _, s in ms(s.policePlanned, s.policeSent) },
]

print("")
print(
    "Escalation latency — \(alarmCount) panic alarms (distinct buttons, 50–100 ms apart) + \(warmUp) warm-up; \(ProcessInfo.processInfo.activeProcessorCount) cores; 127.0.0.1"
)
print(
    String(
        format: "background: %.0f msg/s published (%d in %.1f s), %.0f msg/s into the gateway; dropped %d",
        Double(backgroundSent) / max(backgroundSeconds, 0.001),
        backgroundSent,
        backgroundSeconds,
        Double(sourceMessages) / measureSeconds,
        dropped
    )
)
print(
    String(
        format:
            "machine during the run: %.0f %% of all cores busy; load average %@ → %@; this process %.0f %% of one core",
        loadBefore.busyPercent(until: loadAfter),
        loadBefore.loadAverage,
        loadAfter.loadAverage,
        cpuSeconds / measureSeconds * 100
    )
)
print(
    "sink: \(requests.count) requests, \(verified) signatures verified; events out: \(state.events); delivery.failed: \(state.failures.count); other alarms: \(state.otherAlarms.count)"
)
if !allDone { print("NOT every alarm was delivered within 15 s of the last press") }
print("")
printTable(paths, floor: raised)
print("")
print("Per alarm, between stages:")
print("")
printTable(stages)
print("")
for p in [paths[2], paths[4]] {
    let p99 = p.percentile(0.99) ?? .infinity
    print(
        "target p99 < \(Int(target)) ms, \(p.name.replacingOccurrences(of: "**", with: "")): \(fmt(p99)) ms — \(p99 < target ? "met" : "NOT met")"
    )
}
for f in state.failures.prefix(5) { print("failure: \(f)") }
for a in state.otherAlarms.prefix(5) { print("unexpected: \(a)") }
exit(0)
