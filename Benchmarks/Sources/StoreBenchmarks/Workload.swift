import CampusGuardCore
import Foundation

/// The series the benchmark writes: `devices` temperature/humidity sensors, two series each,
/// every series one reading per simulated second, interleaved as a campus reports them.
struct Workload {
    let devices: [String]
    let start = Instant(millisecondsSinceEpoch: 1_795_212_000_000)

    init(series: Int) {
        devices = (0..<(series / 2)).map { "dorm-\($0 / 125 + 1)-\($0 % 125 + 100)-temp" }
    }

    var seriesCount: Int { devices.count * 2 }

    /// Rows `first ..< first + count` of the endless stream: row `n` is series `n % seriesCount`
    /// at second `n / seriesCount`.
    func readings(from first: Int, count: Int) -> [Reading] {
        var out: [Reading] = []
        out.reserveCapacity(count)
        for n in first..<(first + count) {
            let series = n % seriesCount
            let second = n / seriesCount
            let humidity = series & 1 == 1
            let value = humidity ? 40 + Double((n &* 7) % 400) / 10 : 18 + Double((n &* 13) % 120) / 10
            out.append(
                Reading(
                    device: devices[series / 2],
                    channel: ChannelID(humidity ? .humidity : .temperature),
                    value: .number(value),
                    timestamp: start + .seconds(Int64(second)),
                    source: .mqtt
                )
            )
        }
        return out
    }

    /// The event the engine commits when an alarm is raised.
    func alarm(_ n: Int) -> Event {
        Event(
            timestamp: start + .seconds(Int64(n)),
            type: .alarmRaised,
            alarm: "20261120T220000Z-\(n)",
            kind: .fire,
            severity: .critical,
            devices: [devices[n % devices.count], devices[(n + 1) % devices.count]],
            location: "dorm-a/3/301",
            reason: "two_smoke_detectors",
            values: [EventValue(device: devices[n % devices.count], channel: ChannelID(.smoke), value: .bool(true))]
        )
    }
}

/// Durations as the table prints them.
struct Latencies {
    var samples: [Duration] = []

    func percentile(_ p: Double) -> Duration {
        guard !samples.isEmpty else { return .zero }
        let sorted = samples.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    var summary: String {
        guard !samples.isEmpty else { return "-" }
        return "\(ms(percentile(0.5))) / \(ms(percentile(0.99))) / \(ms(samples.max()!)) ms  (n=\(samples.count))"
    }
}

func ms(_ d: Duration) -> String { String(format: "%.2f", seconds(d) * 1000) }

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func grouped(_ n: Double) -> String {
    let formatter = NumberFormatter()
    formatter.numberStyle = .decimal
    formatter.maximumFractionDigits = 0
    return formatter.string(from: NSNumber(value: n)) ?? "\(Int(n))"
}

func argument(_ name: String, default value: Int) -> Int {
    guard let i = CommandLine.arguments.firstIndex(of: name), i + 1 < CommandLine.arguments.count,
        let n = Int(CommandLine.arguments[i + 1])
    else { return value }
    return n
}

func fileSize(_ path: String) -> Int64 {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
}
