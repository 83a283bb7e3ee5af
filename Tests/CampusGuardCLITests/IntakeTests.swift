import CampusGuardCore
import CampusGuardStore
import CampusGuardTestKit
import Foundation
import Testing

@testable import CampusGuardCLI

@Suite("Intake: journal, then queue; a broker's redelivery taken once")
struct IntakeTests {
    let dir = TemporaryDirectory("intake")

    func batch(_ n: Int, key: UInt64?) -> SourceBatch {
        SourceBatch(
            readings: [
                Reading(device: "s-\(n)", channel: ChannelID(.smoke), value: .bool(false), timestamp: testStart)
            ],
            receivedAt: testStart + .seconds(Int64(n)),
            alarmBearing: false,
            redeliveryKey: key
        )
    }

    func drain(_ inbox: GatewayInbox) async -> [(SourceBatch, UInt64)] {
        inbox.close()
        var out: [(SourceBatch, UInt64)] = []
        while let items = await inbox.next() {
            for case .batch(let b, let sequence) in items { out.append((b, sequence)) }
        }
        return out
    }

    func journaled(_ journal: IntakeJournal) -> [(UInt64, SourceBatch)] {
        var out: [(UInt64, SourceBatch)] = []
        journal.records(after: 0) { out.append(($0, $1)) }
        return out
    }

    @Test("a batch under a redelivery key already seen is taken once; batches without a key always")
    func redelivery() async throws {
        let journal = try IntakeJournal(directory: dir.path)
        let inbox = GatewayInbox()
        let intake = Intake(inbox: inbox, journal: journal)
        for b in [batch(1, key: 7), batch(2, key: 8), batch(1, key: 7), batch(3, key: nil), batch(3, key: nil)] {
            #expect(intake.push(b))
        }
        #expect(intake.redeliveredCount == 1)
        let queued = await drain(inbox)
        let expected = [batch(1, key: 7), batch(2, key: 8), batch(3, key: nil), batch(3, key: nil)]
        #expect(queued.map(\.0) == expected)
        #expect(queued.map(\.1) == [1, 2, 3, 4])
        #expect(journaled(journal).map(\.1) == expected, "the redelivery is not journaled either")
    }

    @Test("the keys taken before a restart are remembered from the journal")
    func rememberedFromJournal() async throws {
        do {
            let intake = Intake(inbox: GatewayInbox(), journal: try IntakeJournal(directory: dir.path))
            intake.push(batch(1, key: 100))
            intake.push(batch(2, key: 200))
        }
        let journal = try IntakeJournal(directory: dir.path)
        let inbox = GatewayInbox()
        let intake = Intake(inbox: inbox, journal: journal)
        journal.records(after: 0) { _, b in intake.remember(b) }
        intake.push(batch(2, key: 200))
        intake.push(batch(1, key: 100))
        intake.push(batch(3, key: 300))
        #expect(intake.redeliveredCount == 2)
        let queued = await drain(inbox)
        #expect(queued.map(\.0) == [batch(3, key: 300)])
        #expect(queued.map(\.1) == [3])
    }

    @Test("a key is forgotten after 4,096 newer ones (MQTT message ids wrap)")
    func bounded() async {
        let inbox = GatewayInbox()
        let intake = Intake(inbox: inbox, journal: nil)
        intake.push(batch(0, key: 1))
        for k in 0..<UInt64(Intake.recentCapacity) { intake.push(batch(1, key: 1_000 + k)) }
        intake.push(batch(0, key: 1))
        #expect(intake.redeliveredCount == 0)
        intake.push(batch(1, key: 1_000 + UInt64(Intake.recentCapacity) - 1))
        #expect(intake.redeliveredCount == 1)
        let queued = await drain(inbox)
        #expect(queued.count == Intake.recentCapacity + 2)
        #expect(queued.allSatisfy { $0.1 == 0 }, "no journal: sequence 0")
    }

    @Test("journal order is queue order while several sources push at once")
    func order() async throws {
        let journal = try IntakeJournal(directory: dir.path)
        let inbox = GatewayInbox()
        let intake = Intake(inbox: inbox, journal: journal)
        DispatchQueue.concurrentPerform(iterations: 4) { source in
            for n in 0..<500 { intake.push(batch(source * 1_000 + n, key: UInt64(source * 1_000 + n))) }
        }
        let queued = await drain(inbox)
        #expect(queued.count == 2_000)
        #expect(queued.map(\.1) == Array(1...2_000))
        let records = journaled(journal)
        #expect(records.map(\.0) == queued.map(\.1))
        #expect(records.map(\.1) == queued.map(\.0))
        // Each source's own batches keep their order too.
        let numbers = queued.compactMap { Int($0.0.readings[0].device.dropFirst(2)) }
        #expect(numbers.filter { $0 / 1_000 == 2 } == Array(2_000..<2_500))
    }
}
