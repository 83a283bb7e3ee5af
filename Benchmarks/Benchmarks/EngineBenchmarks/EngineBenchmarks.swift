// Engine throughput benchmarks (ordo-one/benchmark). See docs/BENCHMARKS.md for what each
// measures, how to run them and the latest results.

import Benchmark
import CampusGuardCore

/// Readings per second of the decode benchmark, whose throughput counts messages: measured inside
/// the closure with ContinuousClock over each batch of 1,000 messages.
let readingsPerSecond = BenchmarkMetric.custom("readings/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        warmupIterations: 20,
        maxDuration: .seconds(8),
        maxIterations: 100_000
    )

    // 1. The engine alone: decoded readings of ~1,000 devices through one AlarmEngine.
    //    One scaled iteration = one reading; throughput is readings/s.
    Benchmark(
        "engine.ingest decoded readings",
        configuration: .init(
            metrics: [.throughput, .wallClock, .mallocCountTotal],
            scalingFactor: .kilo
        )
    ) { benchmark, state in
        state.ingestBatch(benchmark)
    } setup: {
        try IngestState()
    }

    // 2. The MQTT path without the network: Zigbee2MQTT payload bytes → PayloadDecoder → AlarmEngine.
    //    One scaled iteration = one message; throughput is messages/s, `readings/s` the readings they held.
    Benchmark(
        "decode+engine zigbee2mqtt json",
        configuration: .init(
            metrics: [.throughput, .wallClock, .mallocCountTotal, readingsPerSecond],
            scalingFactor: .kilo
        )
    ) { benchmark, state in
        state.decodeAndIngestBatch(benchmark)
    } setup: {
        try DecodeState()
    }

    // 3. One supervision tick of an engine watching 10,000 devices, nothing due.
    //    One iteration = one tick; throughput is ticks/s.
    Benchmark(
        "engine.tick 10k devices",
        configuration: .init(
            metrics: [.throughput, .wallClock, .mallocCountTotal],
            timeUnits: .microseconds,
            warmupIterations: 5,
            maxDuration: .seconds(8),
            maxIterations: 10_000
        )
    ) { benchmark, state in
        state.tick(benchmark)
    } setup: {
        try TickState()
    }

    // 4. The board the daemon publishes once a second (and after each command) for the API, the
    //    web page, metrics and systemd's STATUS=: every device's status and last values.
    //    One iteration = one board of 10,000 devices; runs on the engine's loop.
    Benchmark(
        "engine.board 10k devices",
        configuration: .init(
            metrics: [.throughput, .wallClock, .mallocCountTotal],
            timeUnits: .microseconds,
            warmupIterations: 5,
            maxDuration: .seconds(8),
            maxIterations: 10_000
        )
    ) { benchmark, state in
        state.board(benchmark)
    } setup: {
        try TickState()
    }

    // 5. What the board costs the engine afterwards: the first reading after a board changes a
    //    device state the board shares, so the engine copies its device array once. Against 6,
    //    the same reading with no board alive. One iteration = one reading (with or without board).
    for withBoard in [true, false] {
        Benchmark(
            withBoard ? "engine.reading after a board 10k devices" : "engine.reading no board 10k devices",
            configuration: .init(
                metrics: [.throughput, .wallClock, .mallocCountTotal],
                timeUnits: .microseconds,
                warmupIterations: 5,
                maxDuration: .seconds(8),
                maxIterations: 10_000
            )
        ) { benchmark, state in
            state.reading(benchmark, afterBoard: withBoard)
        } setup: {
            try TickState()
        }
    }
}

/// Moves the engine out of its holder so that it is uniquely referenced while it works
/// (a second reference would make every mutation copy the engine's dictionaries).
extension Optional {
    mutating func take() -> Wrapped {
        defer { self = nil }
        return self!
    }
}

// MARK: - 1. ingest

final class IngestState {
    static let devices = 1_000
    static let rounds = 16

    let readings: [Reading]
    var engine: AlarmEngine?
    var cursor = 0
    /// Added to the fixture's offsets; grows by one pass each time the fixture wraps around,
    /// so time only moves forward.
    var base = Fixtures.epoch
    let passLength = Int64(IngestState.rounds) * Fixtures.roundMilliseconds

    init() throws {
        let campus = try Fixtures.campus(devices: Self.devices)
        readings = Fixtures.decodedReadings(of: Fixtures.messages(for: campus, rounds: Self.rounds), campus: campus)
        engine = AlarmEngine(campus: campus, startedAt: Instant(millisecondsSinceEpoch: base))
        // The workload must make the engine work: alarms raised and cleared, nothing dropped.
        var check = AlarmEngine(campus: campus, startedAt: Instant(millisecondsSinceEpoch: base))
        var events = 0
        for var r in readings {
            r.timestamp = Instant(millisecondsSinceEpoch: base + r.timestamp.millisecondsSinceEpoch)
            events += check.ingest(r, at: r.timestamp).count
        }
        precondition(events > 0 && check.statistics.duplicates == 0 && check.statistics.unknownDevice == 0)
    }

    func ingestBatch(_ benchmark: Benchmark) {
        var engine = self.engine.take()
        defer { self.engine = engine }
        for _ in benchmark.scaledIterations {
            var reading = readings[cursor]
            let time = Instant(millisecondsSinceEpoch: base + reading.timestamp.millisecondsSinceEpoch)
            reading.timestamp = time
            blackHole(engine.ingest(reading, at: time))
            cursor += 1
            if cursor == readings.count {
                cursor = 0
                base += passLength
            }
        }
    }
}

// MARK: - 2. decode + ingest

final class DecodeState {
    static let devices = 1_000
    static let rounds = 16

    let messages: [Fixtures.Message]
    let decoder: PayloadDecoder
    var engine: AlarmEngine?
    var cursor = 0
    var base = Fixtures.epoch
    let passLength = Int64(DecodeState.rounds) * Fixtures.roundMilliseconds

    init() throws {
        let campus = try Fixtures.campus(devices: Self.devices)
        messages = Fixtures.messages(for: campus, rounds: Self.rounds)
        decoder = PayloadDecoder(campus: campus)
        engine = AlarmEngine(campus: campus, startedAt: Instant(millisecondsSinceEpoch: base))
    }

    func decodeAndIngestBatch(_ benchmark: Benchmark) {
        var engine = self.engine.take()
        defer { self.engine = engine }
        var readings = 0
        let start = ContinuousClock.now
        for _ in benchmark.scaledIterations {
            let message = messages[cursor]
            let time = Instant(millisecondsSinceEpoch: base + message.offset)
            let decoded = decoder.decode(topic: message.topic, payload: message.payload, at: time)
            for reading in decoded.readings {
                blackHole(engine.ingest(reading, at: time))
            }
            readings += decoded.readings.count
            cursor += 1
            if cursor == messages.count {
                cursor = 0
                base += passLength
            }
        }
        record(benchmark, count: readings, since: start)
    }
}

// MARK: - 3. tick

final class TickState {
    static let devices = 10_000

    var engine: AlarmEngine?
    var now: Instant
    /// A reading of one of the devices, sent again and again (a repeated value).
    let reading: Reading

    init() throws {
        let campus = try Fixtures.campus(devices: Self.devices)
        let start = Instant(millisecondsSinceEpoch: Fixtures.epoch)
        var engine = AlarmEngine(campus: campus, startedAt: start)
        // Every device heard once in the first minute, so every channel has a monitor state and a last value.
        let decoder = PayloadDecoder(campus: campus)
        var first: Reading? = nil
        for message in Fixtures.messages(for: campus, rounds: 1) {
            let time = start + Interval(milliseconds: message.offset)
            let decoded = decoder.decode(topic: message.topic, payload: message.payload, at: time)
            for reading in decoded.readings {
                if first == nil { first = reading }
                _ = engine.ingest(reading, at: time)
            }
        }
        reading = first!
        self.engine = engine
        // Well inside every supervision timeout (1 h × 3 for the sensors, 18 h × 2 for the detectors).
        now = start + .minutes(5)
    }

    func tick(_ benchmark: Benchmark) {
        var engine = self.engine.take()
        defer { self.engine = engine }
        now = now + Interval(milliseconds: 1_000)
        blackHole(engine.tick(now: now))
    }

    func board(_ benchmark: Benchmark) {
        let engine = self.engine.take()
        defer { self.engine = engine }
        blackHole(engine.board(at: now))
    }

    func reading(_ benchmark: Benchmark, afterBoard: Bool) {
        var engine = self.engine.take()
        defer { self.engine = engine }
        now = now + Interval(milliseconds: 1_000)
        let board = afterBoard ? engine.board(at: now) : nil
        var r = reading
        r.timestamp = now
        blackHole(engine.ingest(r, at: now))
        blackHole(board)
    }
}

/// Records `count` readings over the time since `start` as the custom `readings/s` metric.
func record(_ benchmark: Benchmark, count: Int, since start: ContinuousClock.Instant) {
    let elapsed = ContinuousClock.now - start
    let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
    guard nanoseconds > 0, benchmark.configuration.metrics.contains(readingsPerSecond) else { return }
    benchmark.measurement(readingsPerSecond, Int((Double(count) * 1e9 / nanoseconds).rounded()))
}
