import CampusGuardCore
import CampusGuardTestKit
import Foundation
import Testing

@testable import CampusGuardStore

@Suite("The intake journal")
struct IntakeJournalTests {
    let dir = TemporaryDirectory("journal")

    static let batches: [SourceBatch] = [
        SourceBatch(
            readings: [
                reading("t-1", ChannelID(.temperature), .number(10.1), at: 0),
                reading("t-1", ChannelID(.temperature), .number(-0.000_125), at: 0, source: .modbus),
                reading("rcm-1", ChannelID(.residualCurrent, index: 11), .number(1e300), at: 1, source: .modbus),
                reading("s-1", ChannelID(.smoke), .bool(true), at: 2, selfTest: true),
                reading("s-1", ChannelID(.smoke), .bool(false), at: 3, source: .replay),
                reading("b-1", ChannelID(.button), .event("single"), at: 4),
                reading("b-1", ChannelID(.button), .event("长按 \"hold\""), at: 5),
            ],
            receivedAt: testStart + .seconds(5),
            alarmBearing: true
        ),
        SourceBatch(
            readings: [],
            bridgeState: BridgeState(bridge: "z2m-dorm-a", online: false),
            receivedAt: testStart + .seconds(6),
            alarmBearing: true,
            redeliveryKey: UInt64.max
        ),
        SourceBatch(
            readings: [reading("h-1", ChannelID(.humidity), .number(55), at: 7)],
            bridgeState: BridgeState(bridge: "z2m-dorm-b", online: true),
            receivedAt: testStart + .seconds(7),
            alarmBearing: false,
            redeliveryKey: 0x1234_5678_9ABC
        ),
    ]

    func records(_ journal: IntakeJournal, after: UInt64 = 0) -> [(UInt64, SourceBatch)] {
        var out: [(UInt64, SourceBatch)] = []
        journal.records(after: after) { out.append(($0, $1)) }
        return out
    }

    func routine(_ n: Int) -> SourceBatch {
        SourceBatch(
            readings: [reading("t-\(n)", ChannelID(.temperature), .number(Double(n)), at: Int64(n))],
            receivedAt: testStart + .seconds(Int64(n)),
            alarmBearing: false
        )
    }

    func segmentFiles() -> [String] { IntakeJournal.segments(in: dir.path).map(\.path) }

    @Test("records come back as appended: every kind of value, sources, self-test, bridge state, redelivery key")
    func roundTrip() throws {
        let journal = try IntakeJournal(directory: dir.path)
        #expect(journal.lastSequence == 0)
        let sequences = Self.batches.map { journal.append($0) }
        #expect(sequences == [1, 2, 3])
        #expect(journal.failure == nil)
        let back = records(journal)
        #expect(back.map(\.0) == [1, 2, 3])
        #expect(back.map(\.1) == Self.batches)
        #expect(records(journal, after: 2).map(\.0) == [3])
        #expect(records(journal, after: 3).isEmpty)
    }

    @Test("sequence numbers go on after a reopen, in a new segment")
    func continuesAfterReopen() throws {
        do {
            let journal = try IntakeJournal(directory: dir.path)
            for n in 0..<3 { journal.append(routine(n)) }
        }
        let reopened = try IntakeJournal(directory: dir.path)
        #expect(reopened.lastSequence == 3)
        #expect(reopened.append(routine(3)) == 4)
        #expect(records(reopened).map(\.0) == [1, 2, 3, 4])
        #expect(records(reopened).map(\.1) == (0..<4).map(routine))
        #expect(segmentFiles().count == 2)
    }

    @Test("a torn last record is skipped, the ones before it are kept, and the journal goes on after it")
    func tornRecord() throws {
        do {
            let journal = try IntakeJournal(directory: dir.path)
            for n in 0..<3 { journal.append(routine(n)) }
        }
        let segment = try #require(segmentFiles().last)
        try truncate(segment, by: 5)
        let reopened = try IntakeJournal(directory: dir.path)
        #expect(records(reopened).map(\.0) == [1, 2])
        #expect(reopened.lastSequence == 2)
        #expect(reopened.append(routine(9)) == 3)
        #expect(records(reopened).map(\.1) == [routine(0), routine(1), routine(9)])
    }

    @Test("a segment whose only record is torn hides nothing written after a restart")
    func tornOnlyRecord() throws {
        do { _ = try IntakeJournal(directory: dir.path).append(routine(0)) }
        do { _ = try IntakeJournal(directory: dir.path).append(routine(1)) }
        // The second run's segment holds one record; the power went while it was written.
        let segment = try #require(segmentFiles().last)
        try truncate(segment, by: 3)
        let reopened = try IntakeJournal(directory: dir.path)
        #expect(reopened.lastSequence == 1)
        #expect(reopened.append(routine(2)) == 2)
        #expect(reopened.append(routine(3)) == 3)
        #expect(records(reopened).map(\.1) == [routine(0), routine(2), routine(3)])
    }

    @Test("release deletes only the segments whose every record is committed, never the current one")
    func release() throws {
        let journal = try IntakeJournal(directory: dir.path, segmentBytes: 250)
        for n in 0..<20 { journal.append(routine(n)) }
        let starts = IntakeJournal.segments(in: dir.path).map(\.start)
        #expect(starts.count >= 4, "several segments: \(starts)")
        #expect(starts.first == 1)

        for through in [UInt64(0), 2, starts[1], starts[2] + 1, 19] {
            journal.release(through: through)
            let kept = records(journal).map(\.0)
            #expect(kept.last == 20)
            // Every record after `through` is kept, and those before it only with their segment.
            #expect(Set(kept).isSuperset(of: (through + 1)...20))
            let left = IntakeJournal.segments(in: dir.path).map(\.start)
            if let first = left.first, first > 1 {
                #expect(first <= through + 1, "released a segment with a record after \(through): \(left)")
                #expect(kept.first == first)
            }
        }
        // Through 19: everything before the current segment is gone.
        #expect(IntakeJournal.segments(in: dir.path).map(\.start) == [starts.last!])

        journal.release(through: 1_000)
        #expect(IntakeJournal.segments(in: dir.path).count == 1, "the current segment stays")
        #expect(journal.append(routine(20)) == 21)
        #expect(records(journal, after: 20).map(\.1) == [routine(20)])
    }

    @Test("a failed write sets failure, the batch keeps its number, and a good write clears it")
    func failedWrite() throws {
        let journal = try IntakeJournal(directory: dir.path, segmentBytes: 1)
        #expect(journal.append(routine(0)) == 1)
        // The next segment's file is /dev/full: writing it fails with ENOSPC, as on a full disk.
        let next = dir.path + "/" + String(format: "intake-%020llu.journal", UInt64(2))
        try FileManager.default.createSymbolicLink(atPath: next, withDestinationPath: "/dev/full")
        #expect(journal.append(routine(1)) == 2)
        let failure = try #require(journal.failure)
        #expect(failure.contains("No space left"), "\(failure)")
        // Reading /dev/full never ends: take it away before reading the journal back.
        try FileManager.default.removeItem(atPath: next)
        #expect(journal.append(routine(2)) == 3)
        #expect(journal.failure == nil)
        #expect(records(journal).map(\.0) == [1, 3])
    }

    func truncate(_ path: String, by bytes: UInt64) throws {
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let size = try handle.seekToEnd()
        try handle.truncate(atOffset: size - bytes)
        try handle.close()
    }
}
