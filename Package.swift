// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "campusguard",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "campusguard", targets: ["campusguard"]),
        .library(name: "CampusGuardCore", targets: ["CampusGuardCore"]),
        .library(name: "CampusGuardConfig", targets: ["CampusGuardConfig"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
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
        // The composition root: subcommands and the wiring they share; the executable only calls it.
        .target(
            name: "CampusGuardCLI",
            dependencies: [
                "CampusGuardCore",
                "CampusGuardConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "campusguard", dependencies: ["CampusGuardCLI"], swiftSettings: swiftSettings),
        // Builders for campuses, profiles and a manual clock, shared by the test targets.
        .target(
            name: "CampusGuardTestKit",
            dependencies: ["CampusGuardCore"],
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
            dependencies: ["CampusGuardCLI", "CampusGuardConfig", "CampusGuardCore", "CampusGuardTestKit"],
            swiftSettings: swiftSettings
        ),
    ]
)
