// Police link latency: one Contact ID event at a time against pysiaalarm (the real receiver of
// the integration tests) on loopback, each waiting for its ACK before the next.
//
//     cd Benchmarks && swift run -c release PoliceLinkBenchmarks [--events 1000]
//
// Needs the project's .venv with pysiaalarm (scripts/setup.sh). Reported, in clear and with
// AES-128: frame → ACK (the acknowledged frame's last byte written to its ACK parsed) and
// send → outcome (the caller's view: queueing and the link thread's hand-offs included), as
// p50, p90, p99 and max, and the events per second one link sustains this way.
import CampusGuardCore
import CampusGuardDelivery
import CampusGuardTestKit
import Foundation
import Logging

func argument(_ name: String, default value: Int) -> Int {
    guard let i = CommandLine.arguments.firstIndex(of: name), i + 1 < CommandLine.arguments.count,
        let n = Int(CommandLine.arguments[i + 1])
    else { return value }
    return n
}

func microseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12
}

func summary(_ values: [Duration]) -> String {
    let us = values.map(microseconds).sorted()
    func p(_ q: Double) -> String { String(format: "%.0f", us[min(us.count - 1, Int(Double(us.count) * q))]) }
    return "p50 \(p(0.5)) µs, p90 \(p(0.9)) µs, p99 \(p(0.99)) µs, max \(String(format: "%.0f", us.last ?? 0)) µs"
}

let events = argument("--events", default: 1000)
var logger = Logger(label: "bench")
logger.logLevel = .error

for (label, key, keyHex) in [
    ("clear", nil as String?, nil as String?), ("AES-128", "0123456789ABCDEF", "30313233343536373839414243444546"),
] {
    let receiver = try SIAReceiver(key: key, quiet: true)
    let options = PoliceLinkOptions(
        primary: PoliceLinkReceiver(role: .primary, host: "127.0.0.1", port: receiver.port),
        account: "1234",
        key: try keyHex.map { (hex: String) throws(PoliceLinkError) in try DC09Key(hex: hex) },
        supervisionInterval: nil
    )
    let link = try PoliceLinkClient(options: options, logger: logger)
    link.start()
    for _ in 0..<20 { _ = try await link.send(ContactIDEvent(.new, code: 602, group: 0, zone: 0)) }
    var ack: [Duration] = []
    var total: [Duration] = []
    let started = ContinuousClock.now
    for i in 0..<events {
        let outcome = try await link.send(ContactIDEvent(.new, code: 120, group: 1, zone: i % 999 + 1))
        precondition(outcome.attempts == 1, "a message needed \(outcome.attempts) attempts")
        ack.append(outcome.ackLatency)
        total.append(outcome.latency)
    }
    let elapsed = ContinuousClock.now - started
    link.stop()
    receiver.stop()
    print("police link, \(label), \(events) events one at a time against pysiaalarm 3.2.2:")
    print("  frame → ACK:     \(summary(ack))")
    print("  send → outcome:  \(summary(total))")
    print(String(format: "  %.0f events/s", Double(events) / (microseconds(elapsed) / 1e6)))
}
