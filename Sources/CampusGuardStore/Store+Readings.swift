import CampusGuardCore
import GRDB
import Synchronization

extension Store {
    /// How a reading's value, self-test mark and source are packed into `readings.flags`.
    enum ReadingFlags {
        static let number: Int64 = 0
        static let bool: Int64 = 1
        static let event: Int64 = 2
        static let typeMask: Int64 = 3
        static let selfTest: Int64 = 4
        static let sourceShift: Int64 = 3

        static func source(_ s: ReadingSource) -> Int64 {
            switch s {
            case .replay: 0
            case .mqtt: 1
            case .modbus: 2
            }
        }

        static func source(_ flags: Int64) -> ReadingSource {
            switch (flags >> sourceShift) & 3 {
            case 1: .mqtt
            case 2: .modbus
            default: .replay
            }
        }
    }

    /// Writes readings in one transaction, with reused statements; `journalThrough` is the
    /// intake journal's position these readings come up to, committed with them, and
    /// `engineThrough` how far the engine's events are committed.
    public func append(
        readings: [Reading],
        journalThrough: UInt64? = nil,
        engineThrough: UInt64? = nil
    ) async throws(StoreError) {
        guard !readings.isEmpty || journalThrough != nil else { return }
        do {
            try await write("writing \(readings.count) readings") { db in
                try self.insert(readings, db)
                if let journalThrough { try self.advanceMeta(MetaKey.readingsThrough, Int64(journalThrough), db) }
                if let engineThrough { try self.advanceMeta(MetaKey.engineThrough, Int64(engineThrough), db) }
            }
        } catch {
            // Series ids cached during a rolled-back transaction may not exist.
            series.withLock { $0.removeAll() }
            throw error
        }
    }

    /// Records how far the engine's events are committed, when no readings are waiting.
    public func recordEnginePosition(_ through: UInt64) async throws(StoreError) {
        try await write("recording the engine's position") { db in
            try self.advanceMeta(MetaKey.engineThrough, Int64(through), db)
        }
    }

    func insert(_ readings: [Reading], _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO readings (ts, series, value, text, flags) VALUES (?, ?, ?, ?, ?)"
        )
        for r in readings {
            let seriesID = try seriesID(device: r.device, channel: r.channel, db)
            var flags = ReadingFlags.source(r.source) << ReadingFlags.sourceShift
            if r.selfTest { flags |= ReadingFlags.selfTest }
            let value: Double?
            let text: String?
            switch r.value {
            case .number(let v):
                value = v
                text = nil
            case .bool(let b):
                value = b ? 1 : 0
                text = nil
                flags |= ReadingFlags.bool
            case .event(let e):
                value = nil
                text = e
                flags |= ReadingFlags.event
            }
            statement.setUncheckedArguments([r.timestamp.millisecondsSinceEpoch, seriesID, value, text, flags])
            try statement.execute()
        }
    }

    private func seriesID(device: String, channel: ChannelID, _ db: Database) throws -> Int64 {
        let key = SeriesKey(device: device, channel: channel)
        if let id = series.withLock({ $0[key] }) { return id }
        let name = channel.description
        try db.execute(
            sql: "INSERT OR IGNORE INTO series (device, channel) VALUES (?, ?)",
            arguments: [device, name]
        )
        guard
            let id = try Int64.fetchOne(
                db,
                sql: "SELECT id FROM series WHERE device = ? AND channel = ?",
                arguments: [device, name]
            )
        else {
            throw StoreError(operation: "adding series \(device)/\(name)", message: "series row missing after insert")
        }
        series.withLock { $0[key] = id }
        return id
    }
}

/// Keys of the store's `meta` table.
enum MetaKey {
    /// The intake journal's position up to which readings are in the store.
    static let readingsThrough = "journal.readings_through"
    /// The intake journal's position up to which the engine's events are in the store.
    static let engineThrough = "journal.engine_through"
    /// The highest sequence number used in an alarm id.
    static let alarmSequence = "alarm.sequence"
}
