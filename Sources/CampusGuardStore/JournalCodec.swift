import CampusGuardCore

/// The intake journal's record format: a source batch in a compact binary form.
///
/// A record is `length: u32, checksum: u32, body`, little-endian; the checksum (FNV-1a) of the
/// body lets a reader stop at a torn last record. The body is the sequence number, the batch's
/// receive time, flags, the redelivery key, the bridge state and the readings.
enum JournalCodec {
    static let headerSize = 8

    static func encode(_ batch: SourceBatch, sequence: UInt64) -> [UInt8] {
        var body: [UInt8] = []
        body.reserveCapacity(48 + batch.readings.count * 48)
        put(sequence, &body)
        put(UInt64(bitPattern: batch.receivedAt.millisecondsSinceEpoch), &body)
        var flags: UInt8 = batch.alarmBearing ? 1 : 0
        if batch.bridgeState != nil { flags |= 2 }
        if batch.redeliveryKey != nil { flags |= 4 }
        body.append(flags)
        if let key = batch.redeliveryKey { put(key, &body) }
        if let bridge = batch.bridgeState {
            put(bridge.bridge, &body)
            body.append(bridge.online ? 1 : 0)
        }
        put(UInt64(batch.readings.count), &body)
        for r in batch.readings {
            put(r.device, &body)
            put(r.channel.description, &body)
            put(UInt64(bitPattern: r.timestamp.millisecondsSinceEpoch), &body)
            body.append(UInt8(Store.ReadingFlags.source(r.source)) | (r.selfTest ? 0x80 : 0))
            switch r.value {
            case .number(let v):
                body.append(0)
                put(v.bitPattern, &body)
            case .bool(let b):
                body.append(b ? 2 : 1)
            case .event(let e):
                body.append(3)
                put(e, &body)
            }
        }
        var record: [UInt8] = []
        record.reserveCapacity(headerSize + body.count)
        put32(UInt32(body.count), &record)
        put32(checksum(body), &record)
        record += body
        return record
    }

    /// Decodes one record's body; nil when it does not parse (a reader stops there).
    static func decode(_ body: ArraySlice<UInt8>) -> (sequence: UInt64, batch: SourceBatch)? {
        var r = Reader(bytes: body)
        guard let sequence = r.u64(), let received = r.u64(), let flags = r.u8() else { return nil }
        var key: UInt64? = nil
        if flags & 4 != 0 {
            guard let k = r.u64() else { return nil }
            key = k
        }
        var bridge: BridgeState? = nil
        if flags & 2 != 0 {
            guard let name = r.string(), let online = r.u8() else { return nil }
            bridge = BridgeState(bridge: name, online: online != 0)
        }
        guard let count = r.u64(), count < 1_000_000 else { return nil }
        var readings: [Reading] = []
        readings.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let device = r.string(), let channelName = r.string(), let channel = ChannelID(channelName),
                let ts = r.u64(), let meta = r.u8(), let type = r.u8()
            else { return nil }
            let value: ReadingValue
            switch type {
            case 0:
                guard let bits = r.u64() else { return nil }
                value = .number(Double(bitPattern: bits))
            case 1: value = .bool(false)
            case 2: value = .bool(true)
            case 3:
                guard let e = r.string() else { return nil }
                value = .event(e)
            default: return nil
            }
            readings.append(
                Reading(
                    device: device,
                    channel: channel,
                    value: value,
                    timestamp: Instant(millisecondsSinceEpoch: Int64(bitPattern: ts)),
                    source: Store.ReadingFlags.source(Int64(meta & 0x7F) << Store.ReadingFlags.sourceShift),
                    selfTest: meta & 0x80 != 0
                )
            )
        }
        let batch = SourceBatch(
            readings: readings,
            bridgeState: bridge,
            receivedAt: Instant(millisecondsSinceEpoch: Int64(bitPattern: received)),
            alarmBearing: flags & 1 != 0,
            redeliveryKey: key
        )
        return (sequence, batch)
    }

    static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for b in bytes {
            h ^= UInt32(b)
            h &*= 16_777_619
        }
        return h
    }

    static func put(_ v: UInt64, _ out: inout [UInt8]) {
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }

    static func put32(_ v: UInt32, _ out: inout [UInt8]) {
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }

    static func put(_ s: String, _ out: inout [UInt8]) {
        let bytes = Array(s.utf8)
        put32(UInt32(bytes.count), &out)
        out += bytes
    }

    struct Reader {
        var bytes: ArraySlice<UInt8>

        mutating func u8() -> UInt8? { bytes.popFirst() }

        mutating func u32() -> UInt32? {
            guard bytes.count >= 4 else { return nil }
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(bytes[bytes.startIndex + i]) << (8 * UInt32(i)) }
            bytes = bytes.dropFirst(4)
            return v
        }

        mutating func u64() -> UInt64? {
            guard bytes.count >= 8 else { return nil }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(bytes[bytes.startIndex + i]) << (8 * UInt64(i)) }
            bytes = bytes.dropFirst(8)
            return v
        }

        mutating func string() -> String? {
            guard let n = u32(), bytes.count >= Int(n) else { return nil }
            defer { bytes = bytes.dropFirst(Int(n)) }
            return String(decoding: bytes.prefix(Int(n)), as: UTF8.self)
        }
    }
}
