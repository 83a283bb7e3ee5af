// MQTT ingestion benchmark against a real mosquitto broker, started here on a free loopback port.
//
//     cd Benchmarks && swift run -c release MQTTBenchmarks
//         [--messages N (200000)] [--backlog N (100000)] [--alarms N (1000)]
//         [--only publisher,qos1,qos0,backlog,latency]
//
// 1. Throughput. One publisher sends the same N Zigbee2MQTT reports (10,000 device topics) plus
//    one end marker (a panic press), and one consumer at a time receives them: (a) `mosquitto_sub
//    -q 1 -t 'zigbee2mqtt/#' -C N+1 > /dev/null`, (b) campusguard (MQTT source → decode → inbox →
//    engine, built by `Gateway` from campusguard.yaml). (b) is done when the engine's output shows
//    the marker's alarm: everything before it, in order, has been ingested. Three loads: QoS 1
//    live, QoS 0 live, and a QoS 1 backlog queued in the consumer's persistent session while it
//    is away and drained when it connects (the consumer's own capacity, whatever the publisher
//    can do). The backlog is also drained by two parts of campusguard's path alone (the bare
//    client, the MQTT source without the engine), to show where the time goes. Reports msgs/s,
//    readings/s and the ratio (b)/(a); also the publisher alone, with no consumer.
// 2. Latency. 10,000 sensors report in the background (each every 10 s: 1,000 msg/s, a second
//    publisher) while a third client presses 1,000 distinct panic buttons, 20–40 ms apart; from
//    just before `publish` to the engine's output closure seeing that button's `alarm.raised`.
//    The same client also pings itself through the broker between presses: the floor.
//
// Everything runs on 127.0.0.1; every wait is bounded; the broker and every child are stopped at
// the end. Exit 0 with the report, 1 if the broker cannot start or a phase cannot be set up.

import BenchmarkPayloads
import CampusGuardCLI
import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// MARK: - Options

var messageCount = 200_000
var backlogCount = 100_000
var alarmCount = 1_000
let allPhases = ["publisher", "qos1", "qos0", "backlog", "latency"]
var phases = Set(allPhases)
do {
    var args = CommandLine.arguments.dropFirst()
    while let a = args.popFirst() {
        switch a {
        case "--messages": messageCount = args.popFirst().flatMap(Int.init) ?? messageCount
        case "--backlog": backlogCount = args.popFirst().flatMap(Int.init) ?? backlogCount
        case "--alarms": alarmCount = min(args.popFirst().flatMap(Int.init) ?? alarmCount, 1_000)
        case "--only": phases = Set((args.popFirst() ?? "").split(separator: ",").map(String.init))
        default:
            print(
                "usage: MQTTBenchmarks [--messages N (200000)] [--backlog N (100000)] [--alarms N (1000, at most)] [--only \(allPhases.joined(separator: ","))]"
            )
            exit(a == "--help" || a == "-h" ? 0 : 2)
        }
    }
}

let mosquittoSub = ["/usr/bin/mosquitto_sub", "/usr/local/bin/mosquitto_sub"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

func fail(_ message: String) -> Never {
    warn("MQTTBenchmarks: \(message)")
    exit(1)
}

func group(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, c) in s.reversed().enumerated() {
        if i > 0, i % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return String(out.reversed())
}

let runStart = ContinuousClock.now
func elapsed() -> String { String(format: "%5.1f s", (ContinuousClock.now - runStart).seconds) }
func progress(_ s: String) {
    print("[\(elapsed())] \(s)")
    fflush(nil)
}

// MARK: - Setup

guard let mosquittoSub else { fail("mosquitto_sub not found (Debian: apt-get install mosquitto-clients)") }
let broker: MosquittoBroker
do {
    // Defaults, except the queues: a consumer that falls behind gets every message late rather
    // than losing some (max_queued_messages 1000 would drop, and the counts would never
    // complete). No persistence; not verbose: logging every packet would slow the broker.
    broker = try MosquittoBroker(
        extraConfig: """
            allow_anonymous true
            max_queued_messages 0
            log_type error
            log_type warning
            log_type notice
            """,
        persistent: false)
} catch {
    fail("cannot start the broker (Debian: apt-get install mosquitto mosquitto-clients): \(error)")
}
let port = broker.port
let logPath = broker.directory.path + "/campusguard.log"
let sink = FileLogHandler.Sink(path: logPath)
let logger = Logger(label: "campusguard") { FileLogHandler(label: $0, sink: sink) }

var children: [ChildProcess] = []
@MainActor func cleanUpAndExit(_ code: Int32, _ message: String? = nil) -> Never {
    for c in children { c.stop(grace: 2) }
    broker.stop()
    try? FileManager.default.removeItem(at: broker.directory)
    if let message { warn("MQTTBenchmarks: \(message)") }
    exit(code)
}

progress("mosquitto on 127.0.0.1:\(port) (\(broker.directory.path))")

let reference: CampusGuardInstance
do {
    reference = try CampusGuardInstance(port: port, clientID: "campusguard-reference", logger: logger)
} catch {
    cleanUpAndExit(1, "cannot load the benchmark campus: \(error)")
}
let campus = reference.campus
let sensorCount = campus.devices.filter { $0.profile.id != Workload.buttonProfile }.count
progress(
    "campus: \(group(sensorCount)) sensors + \(Workload.buttons) buttons, \(group(MQTTSource.subscriptions(campus: campus, brokerID: "local").count)) subscriptions; config loaded in \(String(format: "%.2f", reference.loadSeconds)) s"
)

let load = Workload.messages(for: campus, rounds: (messageCount + sensorCount - 1) / sensorCount, seed: 0x00C0_FFEE)
    .prefix(messageCount).map { $0 }
let backlogLoad = Array(load.prefix(backlogCount))
let decoder = PayloadDecoder(campus: campus)
func readingCount(_ messages: ArraySlice<Workload.Message>) -> Int {
    var n = 0
    for m in messages {
        let d = decoder.decode(topic: m.topic, payload: m.payload, at: Instant(millisecondsSinceEpoch: 0))
        precondition(d.problems.isEmpty, "a generated payload did not decode: \(d.problems)")
        n += d.readings.count
    }
    return n
}
let loadReadings = readingCount(load[...])
let backlogReadings = readingCount(backlogLoad[...])
let payloadBytes = load.reduce(0) { $0 + $1.payload.count }
progress(
    "load: \(group(load.count)) messages, \(group(loadReadings)) readings (\(String(format: "%.2f", Double(loadReadings) / Double(load.count))) a message), \(payloadBytes / load.count) payload bytes on average"
)

let publisher: Publisher
do {
    publisher = try Publisher(port: port, clientID: "bench-publisher")
} catch {
    cleanUpAndExit(1, "\(error)")
}

/// The next button never pressed before: each end marker raises a new alarm.
var nextMarker = alarmCount
@MainActor func marker() -> (device: String, message: Workload.Message) {
    let device = Workload.buttonID(nextMarker)
    nextMarker += 1
    return (device, Workload.Message(topic: "zigbee2mqtt/\(device)", payload: Workload.pressPayload))
}

// MARK: - Throughput

struct Row {
    var load: String
    var consumer: String
    var messages: Int
    var readings: Int
    /// Consumer: from the first publish (live) or its connect (backlog) to the last message.
    var seconds: Double?
    var received: Int
    /// Publisher: from its first publish to its last acknowledgement.
    var publisherSeconds: Double?
    var note = ""

    var rate: Double? { seconds.map { Double(messages) / $0 } }
    var readingRate: Double? { seconds.map { Double(readings) / $0 } }
    var publisherRate: Double? { publisherSeconds.map { Double(messages) / $0 } }
}
var rows: [Row] = []

let subArgs = ["-h", "127.0.0.1", "-p", "\(port)", "-q", "1", "-t", "zigbee2mqtt/#"]

/// Registers a persistent session subscribed to zigbee2mqtt/# for mosquitto_sub's client id, so
/// nothing is lost between its start and its SUBACK.
@MainActor func registerSubSession(_ id: String) throws {
    let reg = try ChildProcess(mosquittoSub, subArgs + ["-c", "-i", id, "-E"])
    children.append(reg)
    guard reg.wait(timeout: 10) == 0 else { throw BenchError("mosquitto_sub -E (\(id)) failed") }
}

@MainActor func publisherOnly(_ label: String, qos: Int32) {
    let batch = load
    let r = publisher.publishAll(batch, qos: qos)
    rows.append(
        Row(
            load: label,
            consumer: "(none: publisher alone)",
            messages: batch.count,
            readings: loadReadings,
            seconds: nil,
            received: 0,
            publisherSeconds: r.done.map { ($0 - r.start).seconds },
            note: r.done == nil ? "publisher timed out, \(r.acked) acked" : ""
        )
    )
}

@MainActor func subLive(_ label: String, qos: Int32, tag: String) throws {
    let id = "bench-sub-\(tag)"
    try registerSubSession(id)
    let batch = load + [marker().message]
    let sub = try ChildProcess(mosquittoSub, subArgs + ["-c", "-i", id, "-C", "\(batch.count)"])
    children.append(sub)
    usleep(300_000)  // connected by now; messages before its SUBACK wait in the session anyway
    let r = publisher.publishAll(batch, qos: qos)
    sub.wait(timeout: max(5, 90 - (ContinuousClock.now - r.start).seconds))
    let ended = sub.exit
    if ended == nil { sub.stop(grace: 1) }
    rows.append(
        Row(
            load: label,
            consumer: "mosquitto_sub",
            messages: load.count,
            readings: loadReadings,
            seconds: ended.flatMap { $0.status == 0 ? ($0.at - r.start).seconds : nil },
            received: ended?.status == 0 ? batch.count : 0,
            publisherSeconds: r.done.map { ($0 - r.start).seconds },
            note: ended == nil ? "timed out" : ended!.status != 0 ? "mosquitto_sub exited \(ended!.status)" : ""
        )
    )
    clearSession(port: port, clientID: id)
}

@MainActor func campusguardLive(_ label: String, qos: Int32, tag: String) async throws {
    let cg = try CampusGuardInstance(port: port, clientID: "campusguard-\(tag)", logger: logger)
    cg.startEngine()
    try cg.connect(probe: publisher)
    let (device, message) = marker()
    let before = cg.source.counts
    let r = publisher.publishAll(load + [message], qos: qos)
    let end = cg.watcher.wait(for: device, timeout: max(5, 90 - (ContinuousClock.now - r.start).seconds))
    let after = cg.source.counts
    let dropped = (after.dropped - before.dropped) + cg.gateway.inbox.droppedCount
    await cg.stop()
    rows.append(
        Row(
            load: label,
            consumer: "campusguard",
            messages: load.count,
            readings: loadReadings,
            seconds: end.map { ($0 - r.start).seconds },
            received: after.messages - before.messages,
            publisherSeconds: r.done.map { ($0 - r.start).seconds },
            note: (end == nil ? "end marker never seen; " : "") + (dropped > 0 ? "\(dropped) dropped" : "")
        )
    )
}

@MainActor func subBacklog(_ label: String) throws {
    let id = "bench-sub-backlog"
    try registerSubSession(id)
    let batch = backlogLoad + [marker().message]
    let r = publisher.publishAll(batch, qos: 1)
    let start = ContinuousClock.now
    let sub = try ChildProcess(mosquittoSub, subArgs + ["-c", "-i", id, "-C", "\(batch.count)"])
    children.append(sub)
    sub.wait(timeout: 60)
    let ended = sub.exit
    if ended == nil { sub.stop(grace: 1) }
    rows.append(
        Row(
            load: label,
            consumer: "mosquitto_sub",
            messages: backlogLoad.count,
            readings: backlogReadings,
            seconds: ended.flatMap { $0.status == 0 ? ($0.at - start).seconds : nil },
            received: ended?.status == 0 ? batch.count : 0,
            publisherSeconds: r.done.map { ($0 - r.start).seconds },
            note: ended == nil ? "timed out" : ended!.status != 0 ? "mosquitto_sub exited \(ended!.status)" : ""
        )
    )
    clearSession(port: port, clientID: id)
}

@MainActor func campusguardBacklog(_ label: String) async throws {
    let id = "campusguard-backlog"
    // First connect: the session and its 20,000 subscriptions; then away while the load is queued.
    let first = try CampusGuardInstance(port: port, clientID: id, logger: logger)
    try first.connect(probe: publisher)
    first.source.client.stop()
    let (device, message) = marker()
    let r = publisher.publishAll(backlogLoad + [message], qos: 1)
    // The same gateway started again, as after a restart: connect, resubscribe, drain.
    let cg = try CampusGuardInstance(port: port, clientID: id, logger: logger)
    cg.startEngine()
    let start = ContinuousClock.now
    try cg.connect(probe: nil)
    let end = cg.watcher.wait(for: device, timeout: 60)
    let counts = cg.source.counts
    let dropped = counts.dropped + cg.gateway.inbox.droppedCount
    await cg.stop()
    rows.append(
        Row(
            load: label,
            consumer: "campusguard",
            messages: backlogLoad.count,
            readings: backlogReadings,
            seconds: end.map { ($0 - start).seconds },
            received: counts.messages,
            publisherSeconds: r.done.map { ($0 - r.start).seconds },
            note: (end == nil ? "end marker never seen; " : "") + (dropped > 0 ? "\(dropped) dropped" : "")
        )
    )
}

/// The same backlog drained by parts of campusguard's path, to see where the time goes: the bare
/// libmosquitto client (`MosquittoClient`, messages copied out, nothing else) and the MQTT source
/// (client + decode by profile, batches counted instead of queued for the engine). Both subscribe
/// to the campus's exact topics, as the gateway does.
@MainActor func partialBacklog(_ label: String, decode: Bool) throws {
    let id = decode ? "bench-source-only" : "bench-client-only"
    let topics = MQTTSource.subscriptions(campus: campus, brokerID: "local")
    let (device, message) = marker()
    let seen = Locked((count: 0, target: Int.max, doneAt: ContinuousClock.Instant?.none))
    let count: @Sendable () -> Void = {
        let now = ContinuousClock.now
        seen.withLock { s in
            s.count += 1
            if s.count == s.target { s.doneAt = now }
        }
    }
    let options = clientOptions(port: port, clientID: id, cleanSession: false)
    /// The client, and the source that must outlive it (its client reaches it through a weak reference).
    func make() throws -> (client: MosquittoClient, owner: AnyObject?) {
        if decode {
            let source = try MQTTSource(
                brokerID: "local",
                options: options,
                campus: campus,
                badInput: BadInputLog(logger: logger),
                logger: logger,
                clock: Gateway.wallClock,
                deliver: { batch in
                    count()
                    if batch.readings.first?.device == device { seen.withLock { $0.doneAt = ContinuousClock.now } }
                    return true
                }
            )
            return (source.client, source)
        }
        let client = try MosquittoClient(options: options) { event in
            if case .message = event { count() }
        }
        client.setSubscriptions(topics)
        return (client, nil)
    }
    // First connect: the session and its subscriptions (a probe comes back), then away.
    let (first, firstOwner) = try make()
    first.start()
    guard poll(timeout: 10, { first.isConnected }) else { throw BenchError("\(id) did not connect") }
    var probed = false
    let (probeTopic, probePayload) = Probe.message(campus: campus)
    for _ in 0..<50 where !probed {
        publisher.publish(probeTopic, probePayload)
        probed = poll(timeout: 0.2) { seen.withLock { $0.count > 0 } }
    }
    first.stop()
    withExtendedLifetime(firstOwner) {}
    guard probed else { throw BenchError("\(id) never received its probe") }
    let batch = backlogLoad + [message]
    let r = publisher.publishAll(batch, qos: 1)
    seen.withLock { $0 = (0, batch.count, nil) }
    let (second, secondOwner) = try make()
    let start = ContinuousClock.now
    second.start()
    _ = poll(timeout: 60) { seen.withLock { $0.doneAt != nil } }
    let (received, done) = seen.withLock { ($0.count, $0.doneAt) }
    second.stop()
    withExtendedLifetime(secondOwner) {}
    clearSession(port: port, clientID: id)
    rows.append(
        Row(
            load: label,
            consumer: decode ? "campusguard MQTT source only" : "MosquittoClient only",
            messages: backlogLoad.count,
            readings: backlogReadings,
            seconds: done.map { ($0 - start).seconds },
            received: received,
            publisherSeconds: r.done.map { ($0 - r.start).seconds },
            note: done == nil ? "timed out, \(received) received" : ""
        )
    )
}

do {
    if phases.contains("publisher") {
        progress("publisher alone, QoS 1 and QoS 0")
        publisherOnly("QoS 1", qos: 1)
        publisherOnly("QoS 0", qos: 0)
    }
    if phases.contains("qos1") {
        progress("QoS 1 live: mosquitto_sub")
        try subLive("QoS 1 live", qos: 1, tag: "q1")
        progress("QoS 1 live: campusguard")
        try await campusguardLive("QoS 1 live", qos: 1, tag: "q1")
    }
    if phases.contains("qos0") {
        progress("QoS 0 live: mosquitto_sub")
        try subLive("QoS 0 live", qos: 0, tag: "q0")
        progress("QoS 0 live: campusguard")
        try await campusguardLive("QoS 0 live", qos: 0, tag: "q0")
    }
    if phases.contains("backlog") {
        progress("QoS 1 backlog: mosquitto_sub")
        try subBacklog("QoS 1 backlog")
        progress("QoS 1 backlog: campusguard")
        try await campusguardBacklog("QoS 1 backlog")
        progress("QoS 1 backlog: MosquittoClient only, MQTT source only")
        try partialBacklog("QoS 1 backlog", decode: false)
        try partialBacklog("QoS 1 backlog", decode: true)
    }
} catch {
    cleanUpAndExit(1, "throughput phase failed: \(error)")
}

// MARK: - Latency

struct Latency {
    var samples: [Double]  // milliseconds
    var expected: Int

    func percentile(_ q: Double) -> Double? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let rank = max(1, Int((q * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }
}

var alarmLatency = Latency(samples: [], expected: alarmCount)
var pingLatency = Latency(samples: [], expected: alarmCount)
var backgroundRate = 0.0
var sourceRate = 0.0
var latencyEvents = 0
var latencyDropped = 0
if phases.contains("latency") {
    do {
        progress("latency: 10,000 sensors every 10 s in the background, \(alarmCount) panic presses")
        let cg = try CampusGuardInstance(port: port, clientID: "campusguard-latency", logger: logger)
        cg.startEngine()
        try cg.connect(probe: publisher)
        let background = try Publisher(port: port, clientID: "bench-background")
        let alarms = try Publisher(port: port, clientID: "bench-alarms", subscriptions: ["bench/ping"])
        let stream = Workload.messages(for: campus, rounds: 6, seed: 0xBAC6_0000)
        let stop = Locked(false)
        let backgroundDone = DispatchSemaphore(value: 0)
        let backgroundSent = Locked((count: 0, seconds: 0.0))
        let perSecond = Double(sensorCount) / 10  // each sensor every 10 s
        let thread = Thread {
            let start = ContinuousClock.now
            var i = 0
            // Paced by the clock, 5 ms at a time; bounded by the stream's length (60 s at 1,000/s).
            while i < stream.count, !stop.withLock({ $0 }) {
                let due = min(stream.count, Int((ContinuousClock.now - start).seconds * perSecond))
                while i < due {
                    background.publish(stream[i].topic, stream[i].payload)
                    i += 1
                }
                usleep(5_000)
            }
            backgroundSent.withLock { $0 = (i, (ContinuousClock.now - start).seconds) }
            backgroundDone.signal()
        }
        thread.name = "background publisher"
        let sourceBefore = cg.source.counts.messages
        let sourceStart = ContinuousClock.now
        thread.start()
        usleep(2_000_000)  // the background settles first
        var rng = SplitMix64(seed: 42)
        var pressed: [(device: String, at: ContinuousClock.Instant)] = []
        var pinged: [(id: String, at: ContinuousClock.Instant)] = []
        for i in 0..<alarmCount {
            let device = Workload.buttonID(i)
            let t0 = ContinuousClock.now
            _ = try? alarms.client.publish(topic: "zigbee2mqtt/\(device)", payload: Workload.pressPayload, qos: 1)
            pressed.append((device, t0))
            usleep(useconds_t(rng.int(in: 10_000...20_000)))
            let id = "ping-\(i)"
            let p0 = ContinuousClock.now
            _ = try? alarms.client.publish(topic: "bench/ping", payload: Array(id.utf8), qos: 1)
            pinged.append((id, p0))
            usleep(useconds_t(rng.int(in: 10_000...20_000)))
        }
        _ = cg.watcher.wait(for: Workload.buttonID(alarmCount - 1), timeout: 5)
        let sourceSeconds = (ContinuousClock.now - sourceStart).seconds
        sourceRate = Double(cg.source.counts.messages - sourceBefore) / sourceSeconds
        stop.withLock { $0 = true }
        _ = backgroundDone.wait(timeout: .now() + 5)
        let sent = backgroundSent.withLock { $0 }
        backgroundRate = sent.seconds > 0 ? Double(sent.count) / sent.seconds : 0
        for p in pressed {
            if let t1 = cg.watcher.raised(p.device) { alarmLatency.samples.append((t1 - p.at).milliseconds) }
        }
        let echoes = alarms.received.withLock { $0 }
        for p in pinged {
            if let t1 = echoes[p.id] { pingLatency.samples.append((t1 - p.at).milliseconds) }
        }
        latencyEvents = cg.watcher.eventCount
        latencyDropped = cg.source.counts.dropped + cg.gateway.inbox.droppedCount
        background.stop()
        alarms.stop()
        await cg.stop()
    } catch {
        cleanUpAndExit(1, "latency phase failed: \(error)")
    }
}

publisher.stop()
let mosquittoVersion: String = {
    let file = broker.directory.path + "/version.txt"
    guard let child = try? ChildProcess(MosquittoBroker.executable, ["-h"], output: file) else {
        return "mosquitto"
    }
    _ = child.wait(timeout: 5)
    let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").first { $0.hasPrefix("mosquitto version") }.map(String.init) ?? "mosquitto"
}()
let brokerWarnings = broker.log.split(separator: "\n").filter {
    $0.contains("Warning") || $0.contains("Error") || $0.contains("dropped")
}

// MARK: - Report

func fmt(_ v: Double?, _ digits: Int = 0) -> String {
    guard let v else { return "—" }
    if digits == 0 { return group(Int(v.rounded())) }
    return String(format: "%.\(digits)f", v)
}

print("")
print("MQTT ingestion — \(mosquittoVersion); 127.0.0.1; \(ProcessInfo.processInfo.activeProcessorCount) cores")
print(
    "load: \(group(load.count)) Zigbee2MQTT reports over \(group(sensorCount)) topics (backlog: first \(group(backlogLoad.count))), \(String(format: "%.2f", Double(loadReadings) / Double(load.count))) readings a report, + 1 end marker"
)
print("")
print(
    "| load | consumer | consumer msgs/s | readings/s | s | publisher msgs/s | ratio cg/sub | note |"
)
print("|---|---|---:|---:|---:|---:|---:|---|")
for (i, r) in rows.enumerated() {
    var r = r
    if r.seconds != nil, r.received != r.messages + 1 {
        r.note += (r.note.isEmpty ? "" : "; ") + "received \(group(r.received)) of \(group(r.messages + 1))"
    }
    var ratio = ""
    if r.consumer == "campusguard",
        let sub = rows[..<i].last(where: { $0.load == r.load && $0.consumer == "mosquitto_sub" }),
        let a = sub.rate, let b = r.rate
    {
        ratio = String(format: "**%.2f**", b / a)
    }
    print(
        "| \(r.load) | \(r.consumer) | \(fmt(r.rate)) | \(r.consumer.hasPrefix("(") ? "—" : fmt(r.readingRate)) | \(fmt(r.seconds, 2)) | \(fmt(r.publisherRate)) | \(ratio) | \(r.note) |"
    )
}
if phases.contains("latency") {
    print("")
    print(
        "latency: \(alarmLatency.samples.count)/\(alarmLatency.expected) alarms matched; background \(fmt(backgroundRate)) msg/s published, \(fmt(sourceRate)) msg/s into campusguard; \(latencyEvents) events; \(latencyDropped) dropped"
    )
    print("")
    print("| path | p50 ms | p90 ms | p99 ms | max ms | n |")
    print("|---|---:|---:|---:|---:|---:|")
    for (name, l) in [
        ("panic press → broker → campusguard → alarm.raised", alarmLatency),
        ("ping: publish → broker → same client (the floor)", pingLatency),
    ] {
        print(
            "| \(name) | \(fmt(l.percentile(0.5), 3)) | \(fmt(l.percentile(0.9), 3)) | \(fmt(l.percentile(0.99), 3)) | \(fmt(l.percentile(1), 3)) | \(l.samples.count) |"
        )
    }
}
if !brokerWarnings.isEmpty {
    print("")
    print("broker warnings/errors:")
    for w in brokerWarnings.prefix(10) { print("  \(w)") }
}
print("")
let ratios = rows.enumerated().compactMap { (i, r) -> (String, Double)? in
    guard r.consumer == "campusguard", let b = r.rate,
        let a = rows[..<i].last(where: { $0.load == r.load && $0.consumer == "mosquitto_sub" })?.rate
    else { return nil }
    return (r.load, b / a)
}
for (load, ratio) in ratios {
    print("target ratio ≥ 0.8, \(load): \(String(format: "%.2f", ratio)) — \(ratio >= 0.8 ? "met" : "NOT met")")
}
print("total run time: \(elapsed())")
for c in children { c.stop(grace: 1) }
broker.stop()
try? FileManager.default.removeItem(at: broker.directory)
exit(0)
