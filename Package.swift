// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "campusguard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "campusguard", targets: ["campusguard"]),
        .library(name: "CampusGuardCore", targets: ["CampusGuardCore"]),
        .library(name: "CampusGuardConfig", targets: ["CampusGuardConfig"]),
        .library(name: "CampusGuardMQTT", targets: ["CampusGuardMQTT"]),
        .library(name: "CampusGuardModbus", targets: ["CampusGuardModbus"]),
        .library(name: "CampusGuardStore", targets: ["CampusGuardStore"]),
        .library(name: "CampusGuardDelivery", targets: ["CampusGuardDelivery"]),
        .library(name: "CampusGuardServer", targets: ["CampusGuardServer"]),
        .library(name: "CampusGuardCLI", targets: ["CampusGuardCLI"]),
        // Test campuses, a manual clock, real brokers and Modbus servers: for the tests and the benchmarks.
        .library(name: "CampusGuardTestKit", targets: ["CampusGuardTestKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // swift-configuration support is not used: the config is ours (YAML).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Pure domain model and engine: no I/O, no clock, no dependencies.
        .target(name: "CampusGuardCore", swiftSettings: swiftSettings),
        // YAML config and device profiles → Core's model, with FILE:LINE:COLUMN diagnostics.
        .target(
            name: "CampusGuardConfig",
            dependencies: ["CampusGuardCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // libmosquitto, from Debian's libmosquitto-dev.
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),
        // MQTT ingestion: one client per broker, messages decoded by profile into readings.
        .target(
            name: "CampusGuardMQTT",
            dependencies: [
                "CampusGuardCore",
                "CMosquitto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // libmodbus, from Debian's libmodbus-dev (headers under modbus/).
        .systemLibrary(name: "CModbus", pkgConfig: "libmodbus", providers: [.apt(["libmodbus-dev"])]),
        // Modbus TCP and RTU polling: one thread and one connection per bus.
        .target(
            name: "CampusGuardModbus",
            dependencies: [
                "CampusGuardCore",
                "CModbus",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The local store: SQLite (WAL) through GRDB, the intake journal, retention, export.
        .target(
            name: "CampusGuardStore",
            dependencies: [
                "CampusGuardCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Deliveries out of the gateway: the police link (SIA DC-09 with Contact ID, AES-CBC from
        // swift-crypto) and the staff channels (signed webhook, DingTalk, WeCom, Feishu; AsyncHTTPClient).
        .target(
            name: "CampusGuardDelivery",
            dependencies: [
                "CampusGuardCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP API for duty and maintenance staff, API tokens, the signed acknowledge link,
        // Prometheus metrics and the health checks.
        .target(
            name: "CampusGuardServer",
            dependencies: [
                "CampusGuardCore",
                "CampusGuardStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                // HTTPS on the API listener for a LAN (api.tls_cert_file, api.tls_key_file).
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                // Store reads run on NIO's thread pool, off Swift's shared concurrency pool.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The composition root: subcommands and the wiring they share; the executable only calls it.
        .target(
            name: "CampusGuardCLI",
            dependencies: [
                "CampusGuardCore",
                "CampusGuardConfig",
                "CampusGuardDelivery",
                "CampusGuardMQTT",
                "CampusGuardModbus",
                "CampusGuardServer",
                "CampusGuardStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "campusguard", dependencies: ["CampusGuardCLI"], swiftSettings: swiftSettings),
        // Builders for campuses, profiles and a manual clock, shared by the test targets.
        .target(
            name: "CampusGuardTestKit",
            dependencies: ["CampusGuardCore", "CModbus"],
            path: "Tests/CampusGuardTestKit",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CampusGuardCoreTests",
            dependencies: ["CampusGuardCore", "CampusGuardTestKit"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CampusGuardConfigTests",
            dependencies: ["CampusGuardConfig", "CampusGuardCore", "CampusGuardTestKit"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CampusGuardCLITests",
            dependencies: [
                "CampusGuardCLI", "CampusGuardConfig", "CampusGuardCore", "CampusGuardStore", "CampusGuardTestKit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CampusGuardMQTTTests",
            dependencies: [
                "CampusGuardMQTT", "CampusGuardCore", "CampusGuardTestKit",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CampusGuardStoreTests",
            dependencies: [
                "CampusGuardStore", "CampusGuardCore", "CampusGuardTestKit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CampusGuardServerTests",
            dependencies: [
                "CampusGuardServer", "CampusGuardCore", "CampusGuardStore", "CampusGuardTestKit",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                // Reads docs/openapi.yaml to compare its routes with the router's.
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CampusGuardModbusTests",
            dependencies: ["CampusGuardModbus", "CampusGuardCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CampusGuardDeliveryTests",
            dependencies: [
                "CampusGuardDelivery", "CampusGuardCore", "CampusGuardTestKit",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Real peers: mosquitto brokers and Modbus servers started by the tests.
        .testTarget(
            name: "CampusGuardIntegrationTests",
            dependencies: [
                "CampusGuardCLI", "CampusGuardConfig", "CampusGuardCore", "CampusGuardMQTT", "CampusGuardModbus",
                "CampusGuardDelivery", "CampusGuardServer", "CampusGuardStore", "CampusGuardTestKit", "CModbus",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
