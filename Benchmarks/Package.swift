// swift-tools-version:6.1
// Benchmarks for campusguard, in their own package (as apple/swift-nio does) so that the
// benchmark dependency never reaches the product. Run from this directory:
//     swift package --disable-sandbox benchmark      (engine micro-benchmarks)
//     swift run -c release MQTTBenchmarks            (MQTT ingestion against a real mosquitto)
//     swift run -c release ModbusBenchmarks          (Modbus polling of 500 devices)
//     swift run -c release StoreBenchmarks           (the local store: readings/s, alarm commit latency)
//     swift run -c release PoliceLinkBenchmarks      (police link frame → ACK against pysiaalarm)
//     swift run -c release WebhookBenchmarks         (webhook delivery to a loopback HTTP sink)
//     swift run -c release EscalationBenchmarks      (panic press on MQTT → webhook and police ACK)
// See docs/BENCHMARKS.md.
import PackageDescription

// SwiftPM names a path dependency after its directory (`main`, `campusguard`, whatever the clone is
// called), lowercased; products of the root package are looked up under that identity.
let campusguard =
    Context.packageDirectory.split(separator: "/").dropLast().last.map { String($0).lowercased() } ?? "campusguard"

let package = Package(
    name: "campusguard-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        // Only the MallocInterposer trait: the default traits also pull in swift-runtime-interposer
        // (Linux, Swift 6.3), which is neither needed here nor in the package mirror.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // Already in the root package's graph; MQTTBenchmarks needs a Logger for the gateway.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Already in the root package's graph; WebhookBenchmarks makes the shared client.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // Already in the root package's graph; EscalationBenchmarks runs the gateway's services.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The Zigbee2MQTT report generator the engine and MQTT benchmarks share.
        .target(name: "BenchmarkPayloads", path: "Sources/BenchmarkPayloads"),
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                "BenchmarkPayloads",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "CampusGuardCore", package: campusguard),
                // Only to load the shipped device profiles (YAML) when the fixtures are built.
                .product(name: "CampusGuardConfig", package: campusguard),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark")
            ]
        ),
        // MQTT ingestion against a real mosquitto broker it starts itself: a plain executable,
        // not a plugin benchmark (it needs a broker, child processes and wall-clock phases).
        //     swift run -c release MQTTBenchmarks
        // Under Sources/, not Benchmarks/: the benchmark plugin runs every executable target
        // whose folder sits in a folder named Benchmarks as one of its own.
        .executableTarget(
            name: "MQTTBenchmarks",
            dependencies: [
                "BenchmarkPayloads",
                .product(name: "CampusGuardCore", package: campusguard),
                .product(name: "CampusGuardConfig", package: campusguard),
                .product(name: "CampusGuardMQTT", package: campusguard),
                .product(name: "CampusGuardCLI", package: campusguard),
                .product(name: "CampusGuardTestKit", package: campusguard),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/MQTTBenchmarks"
        ),
        // Modbus polling: 500 devices on one Modbus TCP server polled every second.
        //     swift run -c release ModbusBenchmarks
        .executableTarget(
            name: "ModbusBenchmarks",
            dependencies: [
                .product(name: "CampusGuardCore", package: campusguard),
                .product(name: "CampusGuardConfig", package: campusguard),
                .product(name: "CampusGuardModbus", package: campusguard),
                .product(name: "CampusGuardTestKit", package: campusguard),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/ModbusBenchmarks"
        ),
        // The local store: readings/s into SQLite, an alarm's commit latency meanwhile, bytes per
        // reading, the intake journal's cost.
        //     swift run -c release StoreBenchmarks
        .executableTarget(
            name: "StoreBenchmarks",
            dependencies: [
                .product(name: "CampusGuardCore", package: campusguard),
                .product(name: "CampusGuardStore", package: campusguard),
                .product(name: "CampusGuardCLI", package: campusguard),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/StoreBenchmarks"
        ),
        // Police link: frame → ACK latency against pysiaalarm, one event at a time.
        //     swift run -c release PoliceLinkBenchmarks
        .executableTarget(
            name: "PoliceLinkBenchmarks",
            dependencies: [
                .product(name: "CampusGuardCore", package: campusguard),
                .product(name: "CampusGuardDelivery", package: campusguard),
                .product(name: "CampusGuardTestKit", package: campusguard),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/PoliceLinkBenchmarks"
        ),
        // Webhook delivery: signed webhooks POSTed one at a time to the Python test sink.
        //     swift run -c release WebhookBenchmarks
        .executableTarget(
            name: "WebhookBenchmarks",
            dependencies: [
                .product(name: "CampusGuardCore", package: campusguard),
                .product(name: "CampusGuardDelivery", package: campusguard),
                .product(name: "CampusGuardTestKit", package: campusguard),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/WebhookBenchmarks"
        ),
        // Escalation: a panic press published on MQTT → the webhook at its sink and the police
        // receiver's ACK, the whole gateway running (delivery, outbox, police link), with
        // background load.
        //     swift run -c release EscalationBenchmarks
        .executableTarget(
            name: "EscalationBenchmarks",
            dependencies: [
                "BenchmarkPayloads",
                .product(name: "CampusGuardCore", package: campusguard),
                .product(name: "CampusGuardConfig", package: campusguard),
                .product(name: "CampusGuardMQTT", package: campusguard),
                .product(name: "CampusGuardCLI", package: campusguard),
                .product(name: "CampusGuardTestKit", package: campusguard),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/EscalationBenchmarks"
        ),
    ]
)
