import CampusGuardCore
import CampusGuardServer
import CampusGuardTestKit
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import CampusGuardCLI

@Suite("The systemd service: ready after the engine's first board, the watchdog fed only while the engine turns")
struct SystemdServiceTests {
    let dir = TemporaryDirectory("notify-service")

    /// What the fake engine reports: its loop's last turn (nil before it starts) and a status.
    final class FakeEngine: Sendable {
        enum Loop {
            case notStarted, turning
            case stuck(ContinuousClock.Instant)
        }
        let loop = Mutex(Loop.notStarted)
        let status = Mutex("0 devices online, 0 offline, 0 active alarms")

        var lastLoop: ContinuousClock.Instant? {
            loop.withLock {
                switch $0 {
                case .notStarted: nil
                case .turning: .now
                case .stuck(let at): at
                }
            }
        }
    }

    func start(_ engine: FakeEngine, socket: NotifySocket) -> (ServiceGroup, Task<Void, any Error>) {
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let notifier = SystemdNotifier(
            environment: ["NOTIFY_SOCKET": socket.address, "WATCHDOG_USEC": "200000"],
            logger: logger
        )
        let service = SystemdService(
            notifier: notifier,
            lastLoop: { engine.lastLoop },
            statusLine: { engine.status.withLock { $0 } },
            logger: logger,
            statusEvery: .milliseconds(100),
            minimumAliveWindow: .milliseconds(100)
        )
        let group = ServiceGroup(services: [service], logger: logger)
        return (group, Task { try await group.run() })
    }

    @Test("no READY before the engine has published a board; READY with the status line after")
    func readyWaitsForEngine() async throws {
        let engine = FakeEngine()
        let socket = try NotifySocket(directory: dir.path)
        let (group, task) = start(engine, socket: socket)
        #expect(await socket.collected(timeout: 0.5) { _ in false }.isEmpty, "nothing while the engine has not started")
        engine.loop.withLock { $0 = .turning }
        let first = await socket.collected(timeout: 10) { $0 == "READY=1" }
        #expect(first.last == "READY=1\nSTATUS=0 devices online, 0 offline, 0 active alarms")
        await group.triggerGracefulShutdown()
        #expect(await socket.collected(timeout: 10) { $0 == "STOPPING=1" }.last == "STOPPING=1")
        try await task.value
    }

    @Test("WATCHDOG=1 while the loop turns; none once it is stuck; again when it turns; STATUS= on change")
    func watchdogFollowsTheLoop() async throws {
        let engine = FakeEngine()
        engine.loop.withLock { $0 = .turning }
        let socket = try NotifySocket(directory: dir.path)
        let (group, task) = start(engine, socket: socket)
        let alive = await socket.collected(timeout: 10) { $0 == "WATCHDOG=1" }
        #expect(alive.first?.hasPrefix("READY=1") == true)
        #expect(alive.last == "WATCHDOG=1")
        #expect(await socket.collected(timeout: 10) { $0 == "WATCHDOG=1" }.last == "WATCHDOG=1", "and again")

        // A stuck loop: its last turn is long past. Pings already sent may still be queued;
        // after those, ten watchdog periods (100 ms each) pass without one.
        engine.loop.withLock { $0 = .stuck(.now - .seconds(60)) }
        engine.status.withLock { $0 = "1 device online, 0 offline, 1 active alarm" }
        let status = await socket.collected(timeout: 10) { $0.hasPrefix("STATUS=") }
        #expect(status.last == "STATUS=1 device online, 0 offline, 1 active alarm")
        let quiet = await socket.collected(timeout: 1) { _ in false }
        #expect(!quiet.contains("WATCHDOG=1"), "\(quiet)")

        engine.loop.withLock { $0 = .turning }
        #expect(await socket.collected(timeout: 10) { $0 == "WATCHDOG=1" }.last == "WATCHDOG=1", "fed again")
        await group.triggerGracefulShutdown()
        #expect(await socket.collected(timeout: 10) { $0 == "STOPPING=1" }.last == "STOPPING=1")
        try await task.value
    }

    @Test("the status line: devices online and offline, alarms, faults, a degraded store's condition")
    func statusLine() {
        let campus = TestCampus.make([
            ("s1", "test-smoke", "dorm-a/3/301"),
            ("s2", "test-smoke", "dorm-a/3/302"),
            ("r1", "test-rcm", "dorm-a/1/power"),
        ])
        var d = EngineDriver(campus: campus)
        d.send("r1", "residual_current.1", .number(100))
        d.send("s2", "smoke", .bool(false))
        d.advance(by: 96)
        d.send("s1", "smoke", .bool(true))
        d.send("s2", "smoke", .bool(false))
        #expect(
            SystemdStatus.line(
                board: d.engine.board(at: d.now),
                parts: [
                    PartHealth(name: "engine", state: .ok),
                    PartHealth(name: "store", state: .degraded, reason: "read_only: attempt to write"),
                ]
            )
                == "2 devices online, 1 offline, 1 active alarm, 1 open fault; degraded: store (read_only)"
        )
        #expect(
            SystemdStatus.line(board: .empty, parts: [PartHealth(name: "store", state: .ok)])
                == "0 devices online, 0 offline, 0 active alarms"
        )
        #expect(
            SystemdStatus.line(
                board: .empty,
                parts: [
                    PartHealth(
                        name: "store",
                        state: .degraded,
                        reason: "disk_full: writing 1000 readings: database or disk is full"
                    ),
                    PartHealth(name: "mqtt:local", state: .down, reason: "connection refused"),
                ]
            )
                == "0 devices online, 0 offline, 0 active alarms; degraded: store (disk_full), mqtt:local (connection refused)"
        )
    }
}
