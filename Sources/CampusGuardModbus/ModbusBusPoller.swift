import CampusGuardCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Polls the devices of one Modbus bus on a dedicated thread, one request at a time (exactly
/// what an RS-485 line needs; a TCP gateway gets the same care), and hands their readings on.
///
/// Each bus has its own thread and connection, so a slow or dead device only delays its own
/// bus. Failed requests are retried at once (`retries`), then the device is polled again with
/// backoff; after its profile's `missed_reports` failed polls in a row it is unavailable
/// (`comms_lost`), and its first good answer clears that. When the bus itself is gone (the
/// connection or the serial port cannot be opened, or no device answers) that is ONE fault of
/// the bus (`BridgeState` for `modbus:<bus id>`), not one per device.
public final class ModbusBusPoller: Service, @unchecked Sendable {
    // @unchecked Sendable: the poll state lives on the poller's own thread (`runLoop` and the
    // functions it calls); what other threads read or signal is behind `shared` (a Mutex) or
    // is a DispatchSemaphore. `campus` is read and replaced on the poll thread only; a reload
    // hands the new one over through `shared`.
    public let bus: SiteConfig.ModbusBus
    public let endpoint: ModbusBusEndpoint
    private let devices: [PolledDevice]
    private var campus: Campus
    private let deliver: @Sendable (SourceBatch) -> Bool
    private let logger: Logger
    private let clock: @Sendable () -> Instant
    private let shared = Mutex(Shared())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    struct PolledDevice {
        let device: CampusDevice
        let requests: [ModbusReadRequest]
        var failures = 0
        var next: ContinuousClock.Instant
        var lastError: String?
    }

    struct Shared {
        var stopping = false
        var started = false
        var counters = Counters()
        var lateness: [Duration] = []
        /// Why the bus is down (cannot connect, or no device answers); nil while it is up.
        var busProblem: String? = "not connected yet"
        /// A reloaded campus, taken by the poll thread at its next turn.
        var reloaded: Campus?
    }

    /// What the poller did, for status, tests and the benchmark.
    public struct Counters: Sendable, Hashable {
        public var polls = 0
        public var failedPolls = 0
        public var timeouts = 0
        public var exceptions = 0
        public var connects = 0
        public var connectFailures = 0
        public var devicesLost = 0
        public var busLost = 0
    }

    public init(
        bus: SiteConfig.ModbusBus,
        campus: Campus,
        logger: Logger,
        clock: @escaping @Sendable () -> Instant,
        deliver: @escaping @Sendable (SourceBatch) -> Bool
    ) throws(ModbusError) {
        guard let endpoint = ModbusBusEndpoint(url: bus.url) else {
            throw ModbusError(
                operation: "bus \(bus.id)",
                code: 0,
                kind: .connection,
                message: "\(bus.url) is not a tcp:// or rtu:// URL"
            )
        }
        self.bus = bus
        self.endpoint = endpoint
        self.campus = campus
        self.logger = logger
        self.clock = clock
        self.deliver = deliver
        let start = ContinuousClock.now
        // A disabled device (`enabled: false`) is not polled: it may have been taken away.
        let members = campus.devices.filter { $0.config.bus == bus.id && $0.config.enabled }
        // Spread the first polls over one interval, so that a large bus does not start in a burst.
        let step = bus.pollInterval.duration / max(members.count, 1)
        self.devices = members.enumerated().map { i, d in
            PolledDevice(device: d, requests: ModbusReadPlan.requests(for: d.profile), next: start + step * i)
        }
    }

    /// Takes a reloaded campus: the bus's devices are polled as it lists them from the poll
    /// thread's next turn (a device kept keeps its schedule and failure count; an added one
    /// is polled at once). The bus's own settings stay as they were until a restart.
    public func reconfigure(campus: Campus) {
        shared.withLock { $0.reloaded = campus }
        wake.signal()
    }

    /// The devices of `campus` on this bus, carrying over the state of those already polled.
    func polled(_ campus: Campus, from current: [PolledDevice]) -> [PolledDevice] {
        let now = ContinuousClock.now
        return campus.devices.filter { $0.config.bus == bus.id }.map { d in
            let requests = ModbusReadPlan.requests(for: d.profile)
            guard var kept = current.first(where: { $0.device.id == d.id }) else {
                return PolledDevice(device: d, requests: requests, next: now)
            }
            kept = PolledDevice(device: d, requests: requests, failures: kept.failures, next: kept.next)
            return kept
        }
    }

    public var counters: Counters { shared.withLock { $0.counters } }

    /// The bus is connected and its devices answer, and if not, why (for health checks and metrics).
    public var busState: (up: Bool, reason: String?) {
        shared.withLock { s in (s.busProblem == nil, s.busProblem) }
    }

    /// How late each poll started against its schedule, the latest ones (bounded).
    public var recentLateness: [Duration] { shared.withLock { $0.lateness } }

    public func run() async throws {
        guard !devices.isEmpty else { return }
        logger.info(
            "Modbus poller starting",
            metadata: ["bus": "\(bus.id)", "endpoint": "\(endpoint)", "devices": "\(devices.count)"]
        )
        start()
        try? await gracefulShutdown()
        stop()
        logger.info("Modbus poller stopped", metadata: ["bus": "\(bus.id)"])
    }

    /// Starts the poll thread (also for tests and benchmarks that drive the poller directly).
    public func start() {
        let go = shared.withLock { s in
            guard !s.started else { return false }
            s.started = true
            return true
        }
        guard go else { return }
        let thread = Thread { [self] in
            runLoop()
            finished.signal()
        }
        thread.name = "modbus \(bus.id)"
        thread.start()
    }

    /// Stops the poll thread and waits for it (at most one response timeout).
    public func stop() {
        let running = shared.withLock { s in
            guard s.started, !s.stopping else { return false }
            s.stopping = true
            return true
        }
        guard running else { return }
        wake.signal()
        finished.wait()
    }

    // MARK: - Poll thread

    private var stopping: Bool { shared.withLock { $0.stopping } }

    private func runLoop() {
        var devices = self.devices
        var connection: ModbusConnection? = nil
        var busFailures = 0
        var busDown = false
        let missedLimit = devices.map { $0.device.profile.missedReports }.min() ?? 3
        let requestDelay = bus.requestDelay ?? (endpoint.isSerial ? .init(milliseconds: 50) : .zero)
        while !stopping {
            if let reloaded = shared.withLock({ s in
                defer { s.reloaded = nil }
                return s.reloaded
            }) {
                campus = reloaded
                devices = polled(reloaded, from: devices)
            }
            if connection?.isConnected != true {
                do {
                    if connection == nil {
                        connection = try ModbusConnection(endpoint: endpoint, responseTimeout: bus.responseTimeout)
                    }
                    try connection!.connect()
                    shared.withLock { s in
                        s.counters.connects += 1
                        if !busDown { s.busProblem = nil }
                    }
                    if busFailures > 0 { logger.info("Modbus bus reachable again", metadata: ["bus": "\(bus.id)"]) }
                    busFailures = 0
                } catch {
                    busFailures += 1
                    shared.withLock { s in
                        s.counters.connectFailures += 1
                        s.busProblem = "cannot connect: \(error)"
                    }
                    if busFailures == 1 || busFailures % 10 == 0 {
                        logger.warning(
                            "Modbus bus unreachable; retrying with backoff",
                            metadata: ["bus": "\(bus.id)", "error": "\(error)", "attempts": "\(busFailures)"]
                        )
                    }
                    if busFailures >= missedLimit && !busDown {
                        busDown = true
                        busLost()
                    }
                    sleep(Self.backoff(busFailures))
                    continue
                }
            }
            guard let i = devices.indices.min(by: { devices[$0].next < devices[$1].next }) else {
                // Every device was removed by a reload: wait for one to be added.
                sleep(bus.pollInterval.duration)
                continue
            }
            let now = ContinuousClock.now
            if devices[i].next > now {
                sleep(devices[i].next - now)
                continue
            }
            shared.withLock { s in
                s.lateness.append(now - devices[i].next)
                if s.lateness.count > 100_000 { s.lateness.removeFirst(50_000) }
            }
            let ok = poll(&devices[i], connection: connection!, requestDelay: requestDelay, missedLimit: missedLimit)
            if ok {
                shared.withLock { $0.busProblem = nil }
                busDown = false
                devices[i].next = max(devices[i].next + bus.pollInterval.duration, ContinuousClock.now)
            } else {
                // A dead device is polled less often (up to 30 s), so it delays its bus less.
                let slower = bus.pollInterval.duration * (1 << min(devices[i].failures - 1, 4))
                devices[i].next = ContinuousClock.now + min(max(slower, bus.pollInterval.duration), .seconds(30))
                if !busDown, devices.count > 1, devices.allSatisfy({ $0.failures >= missedLimit }) {
                    busDown = true
                    busLost()
                }
            }
            if requestDelay.milliseconds > 0 { sleep(requestDelay.duration) }
        }
        connection?.close()
    }

    /// Reads every request of one device; true when all answered.
    private func poll(
        _ d: inout PolledDevice,
        connection: ModbusConnection,
        requestDelay: Interval,
        missedLimit: Int
    ) -> Bool {
        var snapshot = RegisterSnapshot()
        var failure: ModbusError? = nil
        requests: for (k, request) in d.requests.enumerated() {
            if k > 0 && requestDelay.milliseconds > 0 { sleep(requestDelay.duration) }
            for attempt in 0...bus.retries {
                do {
                    let words = try connection.read(request, unit: d.device.config.unit ?? 1)
                    for (offset, word) in words.enumerated() {
                        snapshot[request.table, request.address + offset] = word
                    }
                    failure = nil
                    continue requests
                } catch {
                    failure = error
                    shared.withLock { s in
                        if error.kind == .timeout { s.counters.timeouts += 1 }
                        if error.kind == .exception { s.counters.exceptions += 1 }
                    }
                    if error.kind == .connection {
                        connection.close()
                        break requests
                    }
                    if attempt < bus.retries && requestDelay.milliseconds > 0 { sleep(requestDelay.duration) }
                }
            }
            break requests
        }
        shared.withLock { s in
            s.counters.polls += 1
            if failure != nil { s.counters.failedPolls += 1 }
        }
        guard let failure else {
            if d.failures >= missedLimit {
                logger.info(
                    "Modbus device answers again",
                    metadata: ["bus": "\(bus.id)", "device.id": "\(d.device.id)"]
                )
            }
            d.failures = 0
            d.lastError = nil
            let now = clock()
            let readings = RegisterDecoder.readings(device: d.device, registers: snapshot, at: now)
            _ = deliver(
                SourceBatch(
                    readings: readings,
                    receivedAt: now,
                    alarmBearing: readings.contains(where: campus.isAlarmBearing)
                )
            )
            return true
        }
        d.failures += 1
        if d.failures == 1 || d.lastError != failure.message {
            logger.warning(
                "Modbus poll failed",
                metadata: [
                    "bus": "\(bus.id)", "device.id": "\(d.device.id)", "error": "\(failure)",
                    "failures": "\(d.failures)",
                ]
            )
        }
        d.lastError = failure.message
        if d.failures == missedLimit {
            shared.withLock { $0.counters.devicesLost += 1 }
            logger.error(
                "Modbus device lost: no answer to \(missedLimit) polls in a row",
                metadata: ["bus": "\(bus.id)", "device.id": "\(d.device.id)", "error": "\(failure)"]
            )
            let now = clock()
            let lost = Reading(
                device: d.device.id,
                channel: ChannelID(.availability),
                value: .bool(false),
                timestamp: now,
                source: .modbus
            )
            _ = deliver(SourceBatch(readings: [lost], receivedAt: now, alarmBearing: true))
        }
        return false
    }

    private func busLost() {
        shared.withLock { s in
            s.counters.busLost += 1
            if s.busProblem == nil { s.busProblem = "no device answers" }
        }
        logger.error("Modbus bus down: one fault for all its devices", metadata: ["bus": "\(bus.id)"])
        let now = clock()
        _ = deliver(
            SourceBatch(
                readings: [],
                bridgeState: BridgeState(bridge: CampusDevice.busLink(bus.id), online: false),
                receivedAt: now,
                alarmBearing: true
            )
        )
    }

    private func sleep(_ duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        guard seconds > 0 else { return }
        _ = wake.wait(timeout: .now() + seconds)
    }

    /// 1 s, 2 s, 4 s … up to 30 s between attempts to reach a bus.
    static func backoff(_ failures: Int) -> Duration {
        .seconds(min(1 << min(failures - 1, 5), 30))
    }
}

extension Interval {
    var duration: Duration { .milliseconds(milliseconds) }
}
