import CampusGuardCore
import CampusGuardTestKit
import Foundation
import Logging
import Synchronization
import Testing

@testable import CampusGuardDelivery

@Suite("Police link client against a scripted receiver")
struct PoliceLinkClientTests {
    static let panic = ContactIDEvent(.new, code: 120, group: 1, zone: 3)

    static let logger: Logger = {
        var l = Logger(label: "test")
        l.logLevel = .critical
        return l
    }()

    /// Collects status changes.
    final class Statuses: Sendable {
        private let list = Mutex<[PoliceLinkStatus]>([])
        func add(_ s: PoliceLinkStatus) { list.withLock { $0.append(s) } }
        var all: [PoliceLinkStatus] { list.withLock { $0 } }
    }

    static func options(
        _ primary: PoliceLinkReceiver,
        backup: PoliceLinkReceiver? = nil,
        ackTimeout: Duration = .seconds(2),
        supervision: Duration? = nil,
        retries: Int = 0
    ) -> PoliceLinkOptions {
        PoliceLinkOptions(
            primary: primary,
            backup: backup,
            account: "1234",
            ackTimeout: ackTimeout,
            supervisionInterval: supervision,
            retries: retries,
            backoff: .milliseconds(20),
            backoffMax: .milliseconds(50)
        )
    }

    static func link(
        _ options: PoliceLinkOptions,
        clock: @escaping @Sendable () -> Instant = wallClock,
        statuses: Statuses? = nil
    ) throws -> PoliceLinkClient {
        let link = try PoliceLinkClient(options: options, logger: logger, clock: clock) { statuses?.add($0) }
        link.start()
        return link
    }

    @Test("an event goes out as one ADM-CID frame and returns once ACKed")
    func acked() async throws {
        let receiver = try FakeReceiver { f, _ in FakeReceiver.ack(f) }
        let statuses = Statuses()
        let link = try Self.link(Self.options(receiver.receiver()), statuses: statuses)
        defer { link.stop() }
        let before = wallClock()
        let outcome = try await link.send(Self.panic)
        let after = wallClock()
        #expect(outcome.receiver.role == .primary)
        #expect(outcome.attempts == 1 && outcome.naks == 0)
        #expect(outcome.sequence == 1)
        let frame = try #require(receiver.frames.first)
        #expect(frame.id == "ADM-CID" && frame.data == "#1234|1120 01 003" && frame.account == "1234")
        // Stamped while it was sent (DC-09 timestamps have whole seconds): not a timing test.
        let stamp = try #require(frame.timestamp)
        #expect(stamp >= before - .seconds(1) && stamp <= after + .seconds(1), "\(stamp) not in \(before)…\(after)")
        #expect(try await link.send(Self.panic).sequence == 2)
        #expect(receiver.connections == 1)
        #expect(statuses.all.map(\.isUp) == [true])
    }

    @Test("a NAK with the receiver's time: the frame goes again with that time, same sequence, then ACK")
    func nakThenAck() async throws {
        // This receiver accepts timestamps within 20 s of its clock; the gateway's is 5 minutes behind.
        let receiver = try FakeReceiver { f, _ in
            let skew = abs(((f.timestamp ?? Instant(millisecondsSinceEpoch: 0)) - wallClock()).milliseconds)
            return skew > 20_000 ? FakeReceiver.nak(time: wallClock()) : FakeReceiver.ack(f)
        }
        let link = try Self.link(Self.options(receiver.receiver()), clock: { wallClock() - .minutes(5) })
        defer { link.stop() }
        let outcome = try await link.send(Self.panic)
        #expect(outcome.naks == 1 && outcome.attempts == 2)
        #expect(receiver.frames.map(\.sequence) == [1, 1])
        // The offset is kept: the next message is right the first time.
        #expect(try await link.send(Self.panic).attempts == 1)
    }

    @Test("NAKs without end: the receiver counts as failed after the bounded resends")
    func nakForever() async throws {
        let receiver = try FakeReceiver { _, _ in FakeReceiver.nak(time: wallClock() + .hours(1)) }
        let link = try Self.link(Self.options(receiver.receiver()))
        defer { link.stop() }
        await #expect {
            try await link.send(Self.panic)
        } throws: { error in
            (error as? PoliceLinkError)?.kind == .undelivered && "\(error)".contains("NAK 3 times")
        }
        #expect(receiver.frames.count == 3)
    }

    @Test("a bare NAK (account unknown) fails that receiver without resending")
    func bareNAK() async throws {
        let receiver = try FakeReceiver { _, _ in Array("\"NAK\"".utf8) }
        let link = try Self.link(Self.options(receiver.receiver()))
        defer { link.stop() }
        await #expect(throws: PoliceLinkError.self) { try await link.send(Self.panic) }
        #expect(receiver.frames.count == 1)
    }

    @Test("a DUH fails the send as rejected, without retries or failover")
    func duh() async throws {
        let primary = try FakeReceiver { f, _ in FakeReceiver.duh(f) }
        let backup = try FakeReceiver { f, _ in FakeReceiver.ack(f) }
        let link = try Self.link(Self.options(primary.receiver(), backup: backup.receiver(.backup), retries: 2))
        defer { link.stop() }
        await #expect {
            try await link.send(Self.panic)
        } throws: { error in
            (error as? PoliceLinkError)?.kind == .rejected
        }
        #expect(primary.frames.count == 1 && backup.frames.isEmpty)
    }

    @Test("an ACK of another sequence, a bad-CRC answer and an empty answer are ignored until the right ACK")
    func noise() async throws {
        let receiver = try FakeReceiver { f, _ in
            var bad = FakeReceiver.ack(f)
            bad[2] = bad[2] == 0x30 ? 0x31 : 0x30
            return FakeReceiver.reply("ACK", sequence: f.sequence + 5) + bad + Array("\n\r".utf8) + FakeReceiver.ack(f)
        }
        let link = try Self.link(Self.options(receiver.receiver()))
        defer { link.stop() }
        let outcome = try await link.send(Self.panic)
        #expect(outcome.attempts == 1)
    }

    @Test("no answer from the primary: the backup at once; the primary reported down with the reason")
    func failover() async throws {
        let primary = try FakeReceiver { _, _ in nil }
        let backup = try FakeReceiver { f, _ in FakeReceiver.ack(f) }
        let statuses = Statuses()
        let link = try Self.link(
            Self.options(primary.receiver(), backup: backup.receiver(.backup), ackTimeout: .milliseconds(300)),
            statuses: statuses
        )
        defer { link.stop() }
        #expect(link.linkState.up == nil, "not tried yet")
        let outcome = try await link.send(Self.panic)
        #expect(outcome.receiver.role == .backup)
        #expect(link.linkState.up == true, "the backup answers: the link is up")
        #expect(link.linkState.reason == "primary: no answer within 300ms")
        #expect(outcome.attempts == 2)
        #expect(primary.frames.count == 1 && backup.frames.count == 1)
        let down = try #require(statuses.all.first)
        #expect(down.receiver.role == .primary && !down.isUp && down.reason == "no answer within 300ms")
        // The backup answered last: the next message goes there first.
        #expect(try await link.send(Self.panic).attempts == 1)
        #expect(primary.frames.count == 1)
    }

    @Test("nobody listening: every round fails fast, then the send fails as undelivered")
    func undelivered() async throws {
        let closed = PoliceLinkReceiver(role: .primary, host: "127.0.0.1", port: try FreePort.find())
        let statuses = Statuses()
        let link = try Self.link(Self.options(closed, retries: 2), statuses: statuses)
        defer { link.stop() }
        await #expect {
            try await link.send(Self.panic)
        } throws: { error in
            (error as? PoliceLinkError)?.kind == .undelivered && "\(error)".contains("refused")
        }
        #expect(link.counters.connectFailures == 3)
        #expect(link.counters.undelivered == 1)
        #expect(statuses.all.count == 1 && statuses.all[0].reason?.contains("refused") == true)
        #expect(link.linkState.up == false)
        #expect(link.linkState.reason?.hasPrefix("primary: ") == true)
    }

    @Test("supervision: a NULL message to an idle receiver, acknowledged, the receiver up")
    func supervision() async throws {
        let receiver = try FakeReceiver { f, _ in FakeReceiver.ack(f) }
        let statuses = Statuses()
        let link = try Self.link(Self.options(receiver.receiver(), supervision: .milliseconds(100)), statuses: statuses)
        defer { link.stop() }
        #expect(await eventually { receiver.frames.count >= 3 })
        #expect(receiver.frames.prefix(3).allSatisfy { $0.id == "NULL" && $0.data.isEmpty })
        #expect(statuses.all.map(\.isUp) == [true])
        #expect(link.counters.linkTests >= 3)
    }

    @Test("stop ends a wait for an answer at once and fails what is queued")
    func stopWhileWaiting() async throws {
        let receiver = try FakeReceiver { _, _ in nil }
        let link = try Self.link(Self.options(receiver.receiver(), ackTimeout: .seconds(30)))
        let first = Task { try await link.send(Self.panic) }
        #expect(await eventually { receiver.frames.count == 1 })
        let second = Task { try await link.send(Self.panic) }
        #expect(await eventually { link.queued == 1 })
        link.stop()
        // Waiting out the 30 s timeout would end in .undelivered: .stopped shows the wait was cut.
        for task in [first, second] {
            await #expect {
                try await task.value
            } throws: { error in
                (error as? PoliceLinkError)?.kind == .stopped
            }
        }
        await #expect(throws: PoliceLinkError.self) { try await link.send(Self.panic) }
    }

    @Test("a send cancelled while queued is never sent")
    func cancelQueued() async throws {
        let receiver = try FakeReceiver { _, _ in nil }
        let link = try Self.link(Self.options(receiver.receiver(), ackTimeout: .seconds(30)))
        defer { link.stop() }
        let blocker = Task { try await link.send(Self.panic) }
        #expect(await eventually { receiver.frames.count == 1 })
        let queued = Task { try await link.send(ContactIDEvent(.new, code: 302, group: 1, zone: 1)) }
        #expect(await eventually { link.queued == 1 })
        queued.cancel()
        await #expect(throws: CancellationError.self) { try await queued.value }
        link.stop()
        _ = await blocker.result
        #expect(receiver.frames.count == 1)
    }
}
