// Modbus polling benchmark: 500 devices on one Modbus TCP server, polled every second.
//
//     cd Benchmarks && swift run -c release ModbusBenchmarks [--devices 500] [--seconds 30]
//
// The server (libmodbus's server side, from CampusGuardTestKit) runs in a child process, this
// executable started again with --serve, so that this process's CPU time is the poller's.
// Reported: the poller's CPU share (process CPU time / wall time over the measured window),
// and poll jitter: how late each poll started against its schedule (p50, p90, p99, max).
import CampusGuardConfig
import CampusGuardCore
import CampusGuardModbus
import CampusGuardTestKit
import Foundation
import Logging

func argument(_ name: String, default value: Int) -> Int {
    guard let i = CommandLine.arguments.firstIndex(of: name), i + 1 < CommandLine.arguments.count,
        let n = Int(CommandLine.arguments[i + 1])
    else { return value }
    return n
}

let devices = argument("--devices", default: 500)
let seconds = argument("--seconds", default: 30)
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

// MARK: - Server mode (the child process)

if let i = CommandLine.arguments.firstIndex(of: "--serve"), let port = Int(CommandLine.arguments[i + 1]) {
    let server = try ModbusTestServer(port: port)
    for unit in 1...min(devices, 247) {
        server.set(unit: unit, table: "holding", address: 0x0B, [0x1000, 0])
        server.set(unit: unit, table: "holding", address: 0x4A, (0..<12).map { UInt16(40 + ($0 * 7 + unit) % 120) })
    }
    try server.start()
    FileHandle.standardOutput.write(Data("ready\n".utf8))
    while true { sleep(60) }
}

// MARK: - The campus: `devices` AIM-R100 monitors on one TCP server

// Modbus unit ids stop at 247: more devices share the server as several buses of the same
// host would (an RS-485 gateway per line); they are polled as one bus each.
let perBus = 247
let busCount = (devices + perBus - 1) / perBus
var ports: [Int] = []
var servers: [ChildProcess] = []
let executable = URL(fileURLWithPath: CommandLine.arguments[0]).path
let logDir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-modbus-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: logDir, withIntermediateDirectories: true)
for b in 0..<busCount {
    let port = try FreePort.find()
    ports.append(port)
    servers.append(
        try ChildProcess(
            executable, ["--serve", "\(port)", "--devices", "\(min(perBus, devices - b * perBus))"],
            output: logDir.appendingPathComponent("server-\(b).log").path))
    try FreePort.waitUntilListening(port, timeout: 10)
}
defer {
    for s in servers {
        s.signal(SIGKILL)
        s.wait(timeout: 5)
    }
}

var yaml = """
    site: {id: bench, name: Bench}
    locations: [{id: p, name: Power, kind: power_room}]
    profile_dirs: [\(root)/DeviceProfiles]
    modbus:
      buses:

    """
for (b, port) in ports.enumerated() {
    yaml += "    - {id: bus-\(b), url: \"tcp://127.0.0.1:\(port)\", poll_interval: 1s, response_timeout: 500ms}\n"
}
yaml += "devices:\n"
for n in 0..<devices {
    yaml += "  - {id: rcm-\(n), profile: acrel-aim-r100, location: p/1/\(n), bus: bus-\(n / perBus), unit: \(n % perBus + 1)}\n"
}
let campus = try ConfigLoader.load(text: yaml, file: "bench.yaml", directory: root).campus
let delivered = Counter()
var logger = Logger(label: "bench")
logger.logLevel = .error
let pollers = try campus.config.modbusBuses.map { bus in
    try ModbusBusPoller(
        bus: bus, campus: campus, logger: logger, clock: { Instant(secondsSinceEpoch: Date().timeIntervalSince1970) },
        deliver: { batch in
            delivered.add(batch.readings.count)
            return true
        })
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

print("\(devices) AIM-R100 devices (2 requests each) on \(busCount) bus(es) of one host, polled every 1 s, for \(seconds) s")
for p in pollers { p.start() }
// Warm-up: the first polls are spread over one interval.
sleep(3)
let wallStart = Date()
let cpuStart = cpuSeconds()
let readingsStart = delivered.value
let pollsStart = pollers.reduce(0) { $0 + $1.counters.polls }
let latenessStart = pollers.map { $0.recentLateness.count }
sleep(UInt32(seconds))
let wall = Date().timeIntervalSince(wallStart)
let cpu = cpuSeconds() - cpuStart
let polls = pollers.reduce(0) { $0 + $1.counters.polls } - pollsStart
let failed = pollers.reduce(0) { $0 + $1.counters.failedPolls }
let readings = delivered.value - readingsStart
var lateness: [Double] = []
for (k, p) in pollers.enumerated() {
    lateness += p.recentLateness.dropFirst(latenessStart[k]).map {
        Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15
    }
}
for p in pollers { p.stop() }
lateness.sort()
func percentile(_ sorted: [Double], _ q: Double) -> Double {
    sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]
}
print("")
print("| measure | value |")
print("|---|---:|")
print("| polls | \(polls) (\(String(format: "%.0f", Double(polls) / wall))/s), \(failed) failed |")
print("| readings delivered | \(readings) (\(String(format: "%.0f", Double(readings) / wall))/s) |")
print("| poller CPU | \(String(format: "%.2f", cpu)) s in \(String(format: "%.1f", wall)) s: **\(String(format: "%.1f", 100 * cpu / wall)) % of one core** |")
print("| poll lateness p50 | \(String(format: "%.3f", percentile(lateness, 0.5))) ms |")
print("| poll lateness p90 | \(String(format: "%.3f", percentile(lateness, 0.9))) ms |")
print("| poll lateness p99 | **\(String(format: "%.3f", percentile(lateness, 0.99))) ms** |")
print("| poll lateness max | \(String(format: "%.3f", lateness.last ?? .nan)) ms |")
try? FileManager.default.removeItem(at: logDir)

final class Counter: @unchecked Sendable {
    // @unchecked Sendable: every access holds `lock`.
    private let lock = NSLock()
    private var n = 0
    func add(_ k: Int) { lock.withLock { n += k } }
    var value: Int { lock.withLock { n } }
}
