// Store benchmark: readings into SQLite (WAL) as the daemon writes them, and what an alarm's
// events wait for meanwhile.
//
//     cd Benchmarks && swift run -c release StoreBenchmarks [--seconds 10] [--series 1000]
//
// (a) sustained readings/s through `Store.append(readings:)` in 1,000-row transactions, series
//     interleaved, then through the daemon's `StoreWriter` (10-reading batches, as MQTT messages
//     come); (b) meanwhile, the latency of committing one alarm event (`append(events:)`, what
//     the engine waits for before acting), against the same on an idle store; (c) database bytes
//     per reading; (d) the intake journal's cost per batch.
import CampusGuardCLI
import CampusGuardCore
import CampusGuardStore
import Foundation
import Logging

let seconds = argument("--seconds", default: 10)
let workload = Workload(series: argument("--series", default: 1_000))
let rowsPerTransaction = 1_000
let clock = ContinuousClock()
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cg-store-bench-\(UUID().uuidString)")
    .path
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }
var table: [(String, String)] = []

func log(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

/// One alarm event committed every `every` until `deadline`: the alarm path's wait.
func sampleEventCommits(
    until deadline: ContinuousClock.Instant,
    every: Duration = .milliseconds(10),
    _ commit: @Sendable (Int) async throws -> Void
) async throws -> Latencies {
    var latencies = Latencies()
    var n = 0
    while clock.now < deadline {
        let started = clock.now
        try await commit(n)
        latencies.samples.append(started.duration(to: clock.now))
        n += 1
        try await Task.sleep(for: every)
    }
    return latencies
}

// MARK: - (b, idle) One event at a time on an idle store

do {
    let store = try Store(path: directory + "/idle.sqlite")
    let idle = try await sampleEventCommits(until: clock.now + .seconds(2), every: .milliseconds(5)) { n in
        try await store.append(events: [workload.alarm(n)])
    }
    table.append(("event commit, idle store: p50 / p99 / max", idle.summary))
}

// MARK: - (a, b, c) Store.append(readings:) in 1,000-row transactions, with alarm events meanwhile

do {
    let path = directory + "/direct.sqlite"
    let store = try Store(path: path)
    log("writing readings for \(seconds) s through Store.append(readings:) …")
    let started = clock.now
    let deadline = started + .seconds(seconds)
    async let events = sampleEventCommits(until: deadline) { n in
        try await store.append(events: [workload.alarm(1_000_000 + n)])
    }
    var written = 0
    var transactions = Latencies()
    while clock.now < deadline {
        let batch = workload.readings(from: written, count: rowsPerTransaction)
        let t0 = clock.now
        try await store.append(readings: batch)
        transactions.samples.append(t0.duration(to: clock.now))
        written += rowsPerTransaction
    }
    let elapsed = seconds(started.duration(to: clock.now))
    let latencies = try await events
    table.append(("readings/s, Store.append (1,000-row transactions)", grouped(Double(written) / elapsed)))
    table.append(("1,000-row transaction: p50 / p99 / max", transactions.summary))
    table.append(("event commit while writing: p50 / p99 / max", latencies.summary))

    let counts = try store.counts()
    let used = try store.usedBytes()
    let perRow = Double(used) / Double(counts.readings)
    table.append(("database bytes per reading (in use / rows)", String(format: "%.1f", perRow)))
    table.append(("database size per million readings", String(format: "%.0f MB", perRow)))
    table.append(
        (
            "readings written / file + WAL",
            "\(grouped(Double(counts.readings))) / \(grouped(Double(fileSize(path) + fileSize(path + "-wal")) / 1e6)) MB"
        )
    )
}

// MARK: - (a, b) Through the daemon's StoreWriter: 10-reading batches, flushed every 50 ms

do {
    let store = try Store(path: directory + "/writer.sqlite", manualCheckpoints: true)
    let writer = StoreWriter(
        store: store,
        storePath: directory + "/writer.sqlite",
        journal: nil,
        retention: RetentionPolicy(),
        logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }),
        clock: { Instant(secondsSinceEpoch: Date().timeIntervalSince1970) }
    )
    log("writing readings for \(seconds) s through StoreWriter …")
    let running = Task { try await writer.run() }
    let started = clock.now
    let deadline = started + .seconds(seconds)
    async let events = sampleEventCommits(until: deadline) { n in
        _ = await writer.commit([workload.alarm(2_000_000 + n)], journal: 0)
    }
    var added = 0
    while clock.now < deadline {
        // Keep the writer busy without letting its buffer drop anything.
        if writer.bufferedReadings > 100_000 {
            try await Task.sleep(for: .milliseconds(1))
            continue
        }
        writer.add(workload.readings(from: added, count: 10), journal: 0)
        added += 10
    }
    for _ in 0..<600 where writer.bufferedReadings > 0 { try await Task.sleep(for: .milliseconds(50)) }
    let elapsed = seconds(started.duration(to: clock.now))
    running.cancel()
    _ = try? await running.value
    let latencies = try await events
    let stored = try store.counts().readings
    table.append(("readings/s, StoreWriter (10-reading batches)", grouped(Double(stored) / elapsed)))
    table.append(("event commit via StoreWriter: p50 / p99 / max", latencies.summary))
    if writer.droppedReadings > 0 || Int(stored) != added {
        table.append(("StoreWriter lost readings", "\(added - Int(stored)) (dropped \(writer.droppedReadings))"))
    }
}

// MARK: - (d) The intake journal: one write(2) per batch

do {
    let journal = try IntakeJournal(directory: directory + "/journal", segmentBytes: 64 << 20)
    for (size, count) in [(8, 100_000), (1_000, 2_000)] {
        let batches = (0..<64).map {
            SourceBatch(
                readings: workload.readings(from: $0 * size, count: size),
                receivedAt: workload.start,
                alarmBearing: false,
                redeliveryKey: UInt64($0)
            )
        }
        let started = clock.now
        for i in 0..<count { journal.append(batches[i % batches.count]) }
        let perBatch = seconds(started.duration(to: clock.now)) / Double(count)
        table.append(
            (
                "journal append, \(size)-reading batch",
                String(format: "%.2f µs  (%.0f ns a reading)", perBatch * 1e6, perBatch * 1e9 / Double(size))
            )
        )
    }
    if let failure = journal.failure { table.append(("journal failure", failure)) }
}

// MARK: - The table

print("Store benchmark: \(workload.seriesCount) series, \(rowsPerTransaction)-row transactions, \(seconds) s a phase")
let width = table.map(\.0.count).max() ?? 0
for (what, figure) in table {
    print(what.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + figure)
}
