import CampusGuardCore
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// An append-only file of everything the sources hand over, written before the engine or the
/// store sees it, so that a `kill -9` loses nothing a broker has already handed over.
///
/// libmosquitto acknowledges a QoS 1 message (PUBACK) before the gateway's callback runs, so the
/// broker will not deliver it again: from then on the gateway alone keeps it. One `write(2)`
/// per batch puts it in the kernel's page cache, which outlives the process; the store later
/// records the journal position its commits reach, and at start the daemon takes every record
/// past that position again. Segments whose records are all in the store are deleted.
public final class IntakeJournal: Sendable {
    public let directory: String
    let segmentBytes: Int
    private let state: Mutex<State>

    struct State {
        var fd: Int32 = -1
        var segmentStart: UInt64
        var written = 0
        var lastSequence: UInt64
        var failure: String?
    }

    /// Opens the journal in `directory` (created if missing) and starts a new segment after the
    /// last valid record found there.
    public init(directory: String, segmentBytes: Int = 16 << 20) throws(StoreError) {
        self.directory = directory
        self.segmentBytes = segmentBytes
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(operation: "creating the journal directory \(directory)", message: "\(error)")
        }
        var last: UInt64 = 0
        for segment in Self.segments(in: directory) {
            Self.scan(segment.path) { sequence, _ in last = max(last, sequence) }
            last = max(last, segment.start &- 1)
        }
        state = Mutex(State(segmentStart: last + 1, lastSequence: last))
        try state.withLock { s throws(StoreError) in try openSegment(&s) }
    }

    deinit {
        state.withLock { s in if s.fd >= 0 { close(s.fd) } }
    }

    /// The sequence number of the last record appended.
    public var lastSequence: UInt64 { state.withLock { $0.lastSequence } }

    /// Why the journal cannot write (a full disk, a read-only file system), nil when it can.
    public var failure: String? { state.withLock { $0.failure } }

    /// Appends a batch and returns its sequence number. A failed write is reported through
    /// `failure` (and retried with the next batch); the batch still goes on from memory.
    @discardableResult
    public func append(_ batch: SourceBatch) -> UInt64 {
        state.withLock { s in
            s.lastSequence += 1
            let record = JournalCodec.encode(batch, sequence: s.lastSequence)
            if s.written >= segmentBytes || s.fd < 0 {
                s.segmentStart = s.lastSequence
                do { try openSegment(&s) } catch { s.failure = "\(error)" }
            }
            guard s.fd >= 0 else { return s.lastSequence }
            let n = record.withUnsafeBytes { Glibc.write(s.fd, $0.baseAddress, $0.count) }
            if n == record.count {
                s.written += n
                s.failure = nil
            } else {
                let reason = n < 0 ? String(cString: strerror(errno)) : "short write"
                s.failure = "writing the intake journal: \(reason)"
                // A partial record would hide the ones after it: start a new segment next time.
                close(s.fd)
                s.fd = -1
            }
            return s.lastSequence
        }
    }

    /// Calls `body` with every record after `sequence`, in order; stops at a torn record.
    public func records(after sequence: UInt64, _ body: (UInt64, SourceBatch) throws -> Void) rethrows {
        for segment in Self.segments(in: directory) {
            var records: [(UInt64, SourceBatch)] = []
            Self.scan(segment.path) { n, batch in if n > sequence { records.append((n, batch)) } }
            for (n, batch) in records { try body(n, batch) }
        }
    }

    /// Deletes the segments whose records are all at or before `sequence` (all in the store).
    public func release(through sequence: UInt64) {
        let current = state.withLock { $0.segmentStart }
        let segments = Self.segments(in: directory)
        for (i, segment) in segments.enumerated() where segment.start < current {
            let nextStart = i + 1 < segments.count ? segments[i + 1].start : current
            if nextStart <= sequence + 1 { unlink(segment.path) }
        }
    }

    private func openSegment(_ s: inout State) throws(StoreError) {
        if s.fd >= 0 { close(s.fd) }
        let name = String(format: "intake-%020llu.journal", s.segmentStart)
        let path = directory + "/" + name
        // A file of this name holds no valid record (its first one would be past the last
        // sequence): at most a torn one, which would hide every record appended after it.
        s.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o640)
        s.written = 0
        guard s.fd >= 0 else {
            throw StoreError(operation: "opening \(path)", message: String(cString: strerror(errno)))
        }
    }

    struct Segment {
        var start: UInt64
        var path: String
    }

    static func segments(in directory: String) -> [Segment] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> Segment? in
            guard name.hasPrefix("intake-"), name.hasSuffix(".journal"),
                let start = UInt64(name.dropFirst(7).dropLast(8))
            else { return nil }
            return Segment(start: start, path: directory + "/" + name)
        }.sorted { $0.start < $1.start }
    }

    static func scan(_ path: String, _ body: (UInt64, SourceBatch) -> Void) {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let bytes = [UInt8](data)
        var offset = 0
        while offset + JournalCodec.headerSize <= bytes.count {
            var header = JournalCodec.Reader(bytes: bytes[offset..<(offset + JournalCodec.headerSize)])
            guard let length = header.u32(), let sum = header.u32() else { return }
            let start = offset + JournalCodec.headerSize
            guard start + Int(length) <= bytes.count else { return }
            let body_ = bytes[start..<(start + Int(length))]
            guard JournalCodec.checksum(body_) == sum, let (n, batch) = JournalCodec.decode(body_) else { return }
            body(n, batch)
            offset = start + Int(length)
        }
    }
}
