// Percentiles, the machine's load, and the report's table.

import Foundation

/// Latencies of one path, in milliseconds.
struct Latencies {
    var name: String
    var samples: [Double]

    /// The nearest-rank percentile (`q` in 0…1).
    func percentile(_ q: Double) -> Double? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let rank = max(1, Int((q * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }
}

/// The whole machine's CPU time (all cores, from /proc/stat) and its load average, to say how
/// busy it was while the benchmark ran (another build on the same cores shows here).
struct MachineLoad {
    var busy: Double
    var total: Double
    var loadAverage: String

    static func now() -> MachineLoad {
        let stat = (try? String(contentsOfFile: "/proc/stat", encoding: .utf8)) ?? ""
        // cpu  user nice system idle iowait irq softirq steal …
        let fields =
            stat.split(separator: "\n").first?.split(separator: " ").dropFirst().compactMap { Double($0) } ?? []
        let total = fields.prefix(8).reduce(0, +)
        let idle = fields.count > 4 ? fields[3] + fields[4] : 0
        let loadavg = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return MachineLoad(
            busy: total - idle,
            total: total,
            loadAverage: loadavg.split(separator: " ").prefix(3).joined(separator: " ")
        )
    }

    /// The share of all cores' time spent busy between `self` and `later`, in per cent.
    func busyPercent(until later: MachineLoad) -> Double {
        let total = later.total - self.total
        return total > 0 ? (later.busy - busy) / total * 100 : 0
    }
}

/// This process's CPU seconds (user + system): the gateway and the benchmark's clients.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

func fmt(_ v: Double?, _ digits: Int = 2) -> String {
    guard let v else { return "—" }
    return String(format: "%.\(digits)f", v)
}

/// The Markdown table: one row a path; with a floor, p50 and p99 also as multiples of the floor's.
func printTable(_ rows: [Latencies], floor: Latencies? = nil) {
    let ratioColumns = floor == nil ? "" : " p50 / floor | p99 / floor |"
    print("| path | p50 ms | p90 ms | p99 ms | max ms | n |" + ratioColumns)
    print("|---|---:|---:|---:|---:|---:|" + (floor == nil ? "" : "---:|---:|"))
    for r in rows {
        var ratios = floor == nil ? "" : " | |"
        if let floor, r.name != floor.name, let p50 = r.percentile(0.5), let f50 = floor.percentile(0.5),
            let p99 = r.percentile(0.99), let f99 = floor.percentile(0.99)
        {
            ratios = " \(fmt(p50 / f50, 1))× | \(fmt(p99 / f99, 1))× |"
        }
        print(
            "| \(r.name) | \(fmt(r.percentile(0.5))) | \(fmt(r.percentile(0.9))) | \(fmt(r.percentile(0.99))) | \(fmt(r.percentile(1))) | \(r.samples.count) |"
                + ratios
        )
    }
}
