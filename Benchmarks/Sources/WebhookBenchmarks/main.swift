// Webhook delivery latency: signed generic webhooks POSTed one at a time with AsyncHTTPClient
// to the test sink (scripts/webhook_sink.py, Python's http.server) on loopback.
//
//     cd Benchmarks && swift run -c release WebhookBenchmarks [--requests 1000]
//
// Reported, after 100 warm-up requests:
// - build: the request's body and signature (StaffMessage, JSON, HMAC) alone, no I/O;
// - POST → sink received: from just before `deliver` to the sink having read the body
//   (both sides read CLOCK_MONOTONIC), the number that matters for "delivered within milliseconds";
// - deliver round trip: `deliver` until its outcome, the sink's answer included.
import AsyncHTTPClient
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

func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

func report(_ name: String, _ microseconds: [Double]) {
    let sorted = microseconds.sorted()
    func p(_ q: Double) -> String {
        String(format: "%.0f", sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))])
    }
    print(
        "\(name): n=\(sorted.count) p50=\(p(0.5)) µs p90=\(p(0.9)) µs p99=\(p(0.99)) µs max=\(p(1)) µs"
    )
}

let requests = argument("--requests", default: 1000)
let warmUp = 100
let secret = "benchmark-secret"
let config = SiteConfig(
    site: .init(id: "bench-school", name: "基准学校"),
    buildings: [Building(id: "dorm-a", name: "学生宿舍A栋", kind: .dormitory)],
    devices: []
)
let event = Event(
    timestamp: Instant(millisecondsSinceEpoch: 1_795_212_000_000),
    type: .alarmRaised,
    alarm: "20261120T220000Z-1",
    kind: .fire,
    severity: .critical,
    devices: ["dorm-a-301-smoke-1", "dorm-a-301-smoke-2"],
    location: "dorm-a/3/301",
    reason: "two_smoke_detectors",
    values: [EventValue(device: "dorm-a-301-smoke-1", channel: ChannelID(.smoke), value: .bool(true))]
)
let notice = StaffNotice(
    deliveryID: "bench",
    event: event,
    site: config.site,
    place: NoticePlace(location: event.location, config: config),
    devices: event.devices.map { NoticeDevice(id: $0) },
    acknowledgeURL: "https://gw.school.lan/ack/20261120T220000Z-1?exp=1795215600&sig=00"
)

let sink = try WebhookSink(defaultAnswer: #"{"status": 200, "body": "ok"}"#)
let format = SignedWebhookFormat(url: sink.url + "/in", secret: SigningSecret(secret))

var build: [Double] = []
for _ in 0..<(warmUp + requests) {
    let start = ContinuousClock.now
    _ = format.request(for: notice, at: event.timestamp)
    let elapsed = ContinuousClock.now - start
    build.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
}

var logger = Logger(label: "bench")
logger.logLevel = .critical
let client = HTTPClient(configuration: StaffChannels.clientConfiguration())
let channel = HTTPStaffChannel(id: "bench", format: format, client: client, logger: logger)
var sentAt: [UInt64] = []
var roundTrip: [Double] = []
var failures = 0
for _ in 0..<(warmUp + requests) {
    let before = monotonicNanoseconds()
    let outcome = await channel.deliver(notice)
    let after = monotonicNanoseconds()
    if !outcome.isSent { failures += 1 }
    sentAt.append(before)
    roundTrip.append(Double(after - before) / 1000)
}
try await client.shutdown().get()
let received = sink.waitForRequests(warmUp + requests, timeout: 30)
sink.stop()

let oneWay = received.filter { $0.n >= warmUp && $0.n < sentAt.count }.map {
    Double(Int64($0.receivedNanoseconds) - Int64(sentAt[$0.n])) / 1000
}
print(
    "webhook delivery to the Python sink on loopback, \(requests) requests after \(warmUp) warm-up; failures: \(failures)"
)
report("build (body + signature)", Array(build.dropFirst(warmUp)))
report("POST -> sink received", oneWay)
report("deliver round trip", Array(roundTrip.dropFirst(warmUp)))
