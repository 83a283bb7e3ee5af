import CampusGuardTestKit
import Foundation
import Logging
import Synchronization
import Testing

@testable import CampusGuardCLI

@Suite("systemd notifications: the notify socket, the watchdog's settings, failures")
struct SystemdNotifierTests {
    let dir = TemporaryDirectory("notify")

    /// Collects log lines to check what the notifier says about failures.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        var logger: Logger {
            Logger(label: "test") { label in
                JournalLogHandler(label: label, journal: true, limiter: nil, write: { self.append($0) })
            }
        }
        func append(_ s: String) { lines.withLock { $0.append(s) } }
    }

    @Test("each message is one datagram on a socket file: READY with STATUS, RELOADING with MONOTONIC_USEC, STOPPING")
    func messagesOnAPath() throws {
        let socket = try NotifySocket(directory: dir.path)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.address], logger: Lines().logger)
        #expect(notifier.isEnabled)
        notifier.ready(status: "3 devices online,\n0 offline")
        #expect(socket.receive(timeout: 5) == "READY=1\nSTATUS=3 devices online, 0 offline")
        notifier.reloading()
        let reloading = socket.receive(timeout: 5) ?? ""
        let lines = reloading.split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        let usec = lines.last.flatMap { $0.hasPrefix("MONOTONIC_USEC=") ? UInt64($0.dropFirst(15)) : nil }
        #expect(usec != nil && usec! > 0, "\(reloading)")
        notifier.watchdog()
        #expect(socket.receive(timeout: 5) == "WATCHDOG=1")
        notifier.stopping()
        #expect(socket.receive(timeout: 5) == "STOPPING=1")
    }

    @Test("an @name socket is in the abstract namespace")
    func abstractNamespace() throws {
        let socket = try NotifySocket(directory: nil)
        #expect(socket.address.hasPrefix("@"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.address], logger: Lines().logger)
        notifier.status("hello")
        #expect(socket.receive(timeout: 5) == "STATUS=hello")
    }

    @Test("without NOTIFY_SOCKET (or with a bad one) nothing is sent and nothing fails")
    func disabled() {
        let lines = Lines()
        for environment in [[:], ["NOTIFY_SOCKET": "relative/path"], ["NOTIFY_SOCKET": "@"]] {
            let notifier = SystemdNotifier(environment: environment, logger: lines.logger)
            #expect(!notifier.isEnabled)
            notifier.ready(status: "x")
            #expect(!notifier.send(["WATCHDOG=1"]))
        }
    }

    @Test("a socket nobody listens on: sends fail, logged once, the daemon goes on")
    func failureLoggedOnce() {
        let lines = Lines()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": dir.path + "/missing.sock"], logger: lines.logger)
        #expect(notifier.isEnabled)
        #expect(!notifier.send(["READY=1"]))
        notifier.watchdog()
        notifier.stopping()
        let failures = lines.all.filter { $0.contains("cannot notify systemd") }
        #expect(failures.count == 1, "\(lines.all)")
        #expect(failures.first?.contains("missing.sock") == true)
    }

    @Test("WATCHDOG_USEC turns the watchdog on, unless WATCHDOG_PID names another process")
    func watchdogSettings() {
        let me = getpid()
        #expect(SystemdNotifier.watchdogTimeout(environment: [:], pid: me) == nil)
        #expect(SystemdNotifier.watchdogTimeout(environment: ["WATCHDOG_USEC": "30000000"], pid: me) == .seconds(30))
        #expect(
            SystemdNotifier.watchdogTimeout(
                environment: ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "\(me)"],
                pid: me
            )
                == .seconds(2)
        )
        #expect(
            SystemdNotifier.watchdogTimeout(
                environment: ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "\(me + 1)"],
                pid: me
            )
                == nil
        )
        #expect(SystemdNotifier.watchdogTimeout(environment: ["WATCHDOG_USEC": "soon"], pid: me) == nil)
        #expect(SystemdNotifier.watchdogTimeout(environment: ["WATCHDOG_USEC": "0"], pid: me) == nil)
    }
}
