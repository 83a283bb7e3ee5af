import CampusGuardConfig
import CampusGuardCore
import CampusGuardDelivery
import CampusGuardTestKit
import Foundation
import Logging
import Synchronization
import Testing

extension IntegrationTests {
    /// The police link against a real receiver: pysiaalarm's DC-09 TCP server (scripts/sia_receiver.py).
    @Suite("Police link against pysiaalarm", .serialized, .timeLimit(.minutes(2)))
    struct PoliceLinkTests {
        static let root = Repository.root

        /// The example school, its police link pointed at `port` (and `extra` keys added).
        static func config(port: Int, extra: String = "") throws -> LoadedConfig {
            var text = try String(contentsOfFile: root + "/Config/campusguard.example.yaml", encoding: .utf8)
            text = text.replacingOccurrences(of: "  port: 12128\n", with: "  port: \(port)\n\(extra)")
            return try ConfigLoader.load(text: text, file: "test.yaml", directory: root + "/Config")
        }

        /// Records the link's status changes.
        final class Statuses: Sendable {
            private let list = Mutex<[PoliceLinkStatus]>([])
            func add(_ s: PoliceLinkStatus) { list.withLock { $0.append(s) } }
            var all: [PoliceLinkStatus] { list.withLock { $0 } }
        }

        static func link(
            _ options: PoliceLinkOptions,
            clock: @escaping @Sendable () -> Instant = { Instant(secondsSinceEpoch: Date().timeIntervalSince1970) },
            statuses: Statuses = Statuses()
        ) throws -> PoliceLinkClient {
            let link = try PoliceLinkClient(options: options, logger: .test, clock: clock) { statuses.add($0) }
            link.start()
            return link
        }

        static func event(
            _ type: EventType,
            _ kind: AlarmKind,
            _ devices: [String],
            alarm: String,
            reason: String?
        )
            -> Event
        {
            Event(
                timestamp: testStart,
                type: type,
                alarm: alarm,
                kind: kind,
                severity: kind.defaultSeverity,
                devices: devices,
                location: "x/1/1",
                reason: reason
            )
        }

        @Test("panic, fire, gas and a restore arrive with their Contact ID codes, groups and zones")
        func codesGroupsZones() async throws {
            let receiver = try SIAReceiver()
            let loaded = try Self.config(port: receiver.port)
            var options = try PoliceLinkOptions(config: try #require(loaded.config.policeLink))
            options.supervisionInterval = nil
            let link = try Self.link(options)
            defer { link.stop() }
            var mapping = ContactIDMapping(addressing: ContactIDAddressing(campus: loaded.campus))
            let events = [
                Self.event(.alarmRaised, .panic, ["gate-panic-1"], alarm: "P", reason: "press"),
                Self.event(
                    .alarmRaised,
                    .fire,
                    ["dorm-a-301-smoke-1", "dorm-a-301-smoke-2"],
                    alarm: "F",
                    reason: "two_smoke_detectors"
                ),
                Self.event(.alarmRaised, .gasLeak, ["kitchen-gas-1"], alarm: "G", reason: "threshold"),
                Self.event(.alarmResolved, .panic, ["gate-panic-1"], alarm: "P", reason: nil),
            ]
            var outcomes: [DC09Outcome] = []
            for e in events {
                for report in mapping.reports(for: e) { outcomes.append(try await link.send(report)) }
            }
            #expect(outcomes.map(\.sequence) == [1, 2, 3, 4, 5])
            #expect(outcomes.allSatisfy { $0.attempts == 1 && $0.receiver.role == .primary })
            #expect(
                receiver.acknowledgedEvents == [
                    "1120 09 001", "1110 01 001", "1110 01 002", "1151 04 001", "3120 09 001",
                ]
            )
            // pysiaalarm's own reading of the codes: panic, fire, fire, gas, panic restored.
            #expect(receiver.messages.map(\.code) == ["PA", "FA", "FA", "GA", "PH"])
            #expect(receiver.messages.allSatisfy { $0.account == "1234" && !$0.encrypted })
        }

        @Test("encryption on: pysiaalarm decrypts the events and the link reads its encrypted ACKs")
        func encrypted() async throws {
            // pysiaalarm takes the key as 16 characters that are the key bytes; the key file holds their hex.
            let receiver = try SIAReceiver(key: "0123456789ABCDEF")
            let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("cg-police-\(UUID()).key")
            try "30313233343536373839414243444546\n".write(to: keyFile, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: keyFile) }
            let loaded = try Self.config(port: receiver.port, extra: "  key_file: \(keyFile.path)\n")
            var options = try PoliceLinkOptions(config: try #require(loaded.config.policeLink))
            options.supervisionInterval = nil
            #expect(options.key?.bitCount == 128)
            let link = try Self.link(options)
            defer { link.stop() }
            let outcome = try await link.send(ContactIDEvent(.new, code: 120, group: 1, zone: 5))
            #expect(outcome.attempts == 1)
            _ = try await link.sendLinkTest()
            #expect(await eventually { receiver.messages.count >= 2 })
            let panic = try #require(receiver.messages.first { $0.messageType == "ADM-CID" })
            #expect(panic.encrypted && panic.answer == "ACK" && panic.contactID == "1120 01 005" && panic.code == "PA")
            #expect(receiver.messages.allSatisfy { $0.encrypted })
        }

        @Test("receiver down, then up: the waiting event arrives once it listens")
        func downThenUp() async throws {
            let receiver = try SIAReceiver(start: false)
            let statuses = Statuses()
            let options = PoliceLinkOptions(
                primary: PoliceLinkReceiver(role: .primary, host: "127.0.0.1", port: receiver.port),
                account: "1234",
                ackTimeout: .seconds(1),
                supervisionInterval: nil,
                retries: 10,
                backoff: .milliseconds(200),
                backoffMax: .seconds(1)
            )
            let link = try Self.link(options, statuses: statuses)
            defer { link.stop() }
            let pending = Task { try await link.send(ContactIDEvent(.new, code: 110, group: 2, zone: 1)) }
            #expect(await eventually { statuses.all.contains { !$0.isUp } })
            try receiver.start()
            let outcome = try await pending.value
            #expect(outcome.attempts > 1)
            #expect(receiver.acknowledgedEvents == ["1110 02 001"])
            #expect(statuses.all.map(\.isUp) == [false, true])
            #expect(statuses.all.first?.reason?.contains("refused") == true)
        }

        @Test("a timestamp outside the receiver's window is NAKed; sent again with the receiver's time, it is ACKed")
        func nakOnSkew() async throws {
            let receiver = try SIAReceiver()
            let options = PoliceLinkOptions(
                primary: PoliceLinkReceiver(role: .primary, host: "127.0.0.1", port: receiver.port),
                account: "1234",
                supervisionInterval: nil
            )
            // The gateway's clock is two minutes slow: pysiaalarm accepts 40 s behind at most.
            let link = try Self.link(options, clock: { Instant(secondsSinceEpoch: Date().timeIntervalSince1970 - 120) })
            defer { link.stop() }
            let outcome = try await link.send(ContactIDEvent(.new, code: 120, group: 1, zone: 1))
            #expect(outcome.naks == 1 && outcome.attempts == 2)
            #expect(receiver.messages.map { $0.answer ?? "" } == ["NAK", "ACK"])
            #expect(receiver.messages.map { $0.sequence ?? "" } == ["0001", "0001"])
            #expect(try await link.send(ContactIDEvent(.new, code: 151, group: 4, zone: 1)).naks == 0)
        }

        @Test("the primary down: the backup receiver gets the event, and the primary is reported down")
        func backup() async throws {
            let backup = try SIAReceiver()
            let deadPort = try FreePort.find()
            let loaded = try Self.config(port: deadPort, extra: "  backup: {host: 127.0.0.1, port: \(backup.port)}\n")
            var options = try PoliceLinkOptions(config: try #require(loaded.config.policeLink))
            options.supervisionInterval = nil
            let statuses = Statuses()
            let link = try Self.link(options, statuses: statuses)
            defer { link.stop() }
            let outcome = try await link.send(ContactIDEvent(.new, code: 120, group: 9, zone: 1))
            #expect(outcome.receiver.role == .backup && outcome.receiver.port == backup.port)
            #expect(backup.acknowledgedEvents == ["1120 09 001"])
            #expect(statuses.all.map { "\($0.receiver.role.rawValue) \($0.isUp)" } == ["primary false", "backup true"])
        }

        @Test("supervision: NULL link tests go out while idle and are acknowledged")
        func supervision() async throws {
            let receiver = try SIAReceiver()
            let loaded = try Self.config(port: receiver.port)
            var options = try PoliceLinkOptions(config: try #require(loaded.config.policeLink))
            options.supervisionInterval = .milliseconds(300)
            let statuses = Statuses()
            let link = try Self.link(options, statuses: statuses)
            defer { link.stop() }
            #expect(await eventually { receiver.messages.filter { $0.messageType == "NULL" }.count >= 2 })
            let tests = receiver.messages.filter { $0.messageType == "NULL" }
            #expect(tests.allSatisfy { $0.answer == "ACK" && $0.code == "RP" })
            #expect(statuses.all.map(\.isUp) == [true])
        }
    }
}
