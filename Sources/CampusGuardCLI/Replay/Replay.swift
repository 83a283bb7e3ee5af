import CampusGuardCore

/// Runs recorded input through the engine on a simulated clock: the engine's test bench and
/// the staff's what-if tool for reviewing an incident afterwards.
///
/// Before each line, every timer due up to the line's timestamp fires at its own instant, so
/// supervision, smoke verification and minimum durations happen in order.
public struct Replay {
    public private(set) var engine: AlarmEngine?
    private let campus: Campus
    private let decoder: PayloadDecoder
    private var clock: Instant?
    public private(set) var linesRead = 0
    public private(set) var linesSkipped = 0
    public private(set) var eventsWritten = 0

    /// Where events and problems go.
    public var emitEvent: (Event) -> Void
    public var reportProblem: (_ line: Int, _ message: String) -> Void

    public init(campus: Campus, emitEvent: @escaping (Event) -> Void, reportProblem: @escaping (Int, String) -> Void) {
        self.campus = campus
        self.decoder = PayloadDecoder(campus: campus)
        self.emitEvent = emitEvent
        self.reportProblem = reportProblem
    }

    /// Feeds one input line (`number` counts from 1, for messages).
    public mutating func feed(line text: String, number: Int) {
        linesRead += 1
        if text.allSatisfy(\.isWhitespace) {
            linesRead -= 1
            return
        }
        let parsed: ReplayLine.Parsed
        switch ReplayLine.parse(text) {
        case .failure(let error):
            skip(number, error.message)
            return
        case .success(let p):
            parsed = p
        }
        var time = parsed.time
        if let clock, time < clock {
            reportProblem(
                number,
                "timestamp \(RFC3339.format(time)) is before the previous line's; processed at \(RFC3339.format(clock))"
            )
            time = clock
        }
        if engine == nil { engine = AlarmEngine(campus: campus, startedAt: time) }
        advance(to: time)
        switch parsed.line {
        case .message(let topic, let payload):
            let decoded = decoder.decode(topic: topic, json: payload, at: time, source: .replay)
            for problem in decoded.problems { reportProblem(number, problem.description) }
            if decoded.readings.isEmpty && decoded.bridgeState == nil && !decoded.problems.isEmpty {
                linesSkipped += 1
            }
            if let state = decoded.bridgeState { emit(engine!.bridge(state, at: time)) }
            for reading in decoded.readings { emit(engine!.ingest(reading, at: time)) }
        case .reading(let device, let channel, let value, let selfTest):
            guard campus.device(device) != nil else {
                skip(number, "unknown device \"\(device)\"")
                return
            }
            let reading = Reading(
                device: device,
                channel: channel,
                value: value,
                timestamp: time,
                source: .replay,
                selfTest: selfTest
            )
            emit(engine!.ingest(reading, at: time))
        case .command(let command):
            run(command, at: time, line: number)
        }
    }

    /// Runs the clock on to `end` (the `--until` option), firing every timer due by then.
    public mutating func finish(until end: Instant?) {
        guard let end else { return }
        if engine == nil { engine = AlarmEngine(campus: campus, startedAt: end) }
        if let clock, end < clock { return }
        advance(to: end)
    }

    private mutating func advance(to time: Instant) {
        // Each tick clears every deadline at or before its instant; the bound only guards against a bug.
        var guardCount = 0
        while let due = engine!.nextDeadline, due <= time, guardCount < 1_000_000 {
            emit(engine!.tick(now: max(due, clock ?? due)))
            guardCount += 1
        }
        clock = time
    }

    private mutating func run(_ command: ReplayAction, at time: Instant, line: Int) {
        do {
            switch command {
            case .acknowledge(let target, let by):
                for id in try alarms(target) { emit(try engine!.acknowledge(id, by: by, at: time)) }
            case .resolve(let target, let by, let note):
                for id in try alarms(target) { emit(try engine!.resolve(id, by: by, note: note, at: time)) }
            case .maintenanceStart(let device, let until):
                try engine!.startMaintenance(device: device, until: until)
            case .maintenanceEnd(let device):
                try engine!.endMaintenance(device: device)
            case .drillStart(let name, let buildings, let panic):
                engine!.startDrill(
                    Drill(name: name, buildings: buildings, includesPanicButtons: panic, startedAt: time)
                )
            case .drillStop:
                engine!.stopDrill()
            }
        } catch {
            skip(line, "\(error)")
        }
    }

    private func alarms(_ target: ReplayAction.Target) throws(EngineError) -> [String] {
        switch target {
        case .alarm(let id):
            return [id]
        case .device(let device):
            let ids = engine!.openAlarms.filter { $0.devices.contains(device) }.map(\.id)
            guard !ids.isEmpty else { throw .unknownAlarm("for device \(device)") }
            return ids
        }
    }

    private mutating func skip(_ line: Int, _ message: String) {
        linesSkipped += 1
        reportProblem(line, message)
    }

    private mutating func emit(_ events: [Event]) {
        for e in events {
            eventsWritten += 1
            emitEvent(e)
        }
    }
}
