import CampusGuardCore
import Foundation
import GRDB
import Synchronization

/// The campus's local store: every reading, every event and every planned delivery, in one
/// SQLite file in WAL mode (readers such as `campusguard export` never block the daemon).
///
/// Writes go through GRDB's serial writer queue, off Swift's shared concurrency pool. Readings
/// are written in batches (`append(readings:)`), never a transaction each; events and outbox
/// rows are committed before anything acts on them.
public final class Store: Sendable {
    public let path: String
    let pool: DatabasePool
    /// A connection of its own for WAL checkpoints, when the owner runs them (`checkpoint()`).
    let checkpointer: DatabaseQueue?
    /// Series ids by `device`, `channel`: filled by the writer, cleared when a write fails.
    let series = Mutex<[SeriesKey: Int64]>([:])

    struct SeriesKey: Hashable {
        var device: String
        var channel: ChannelID
    }

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    ///
    /// - Parameter readOnly: for exporting: nothing is written and no migration runs; the file
    ///   must exist.
    /// - Parameter manualCheckpoints: the owner calls `checkpoint()` regularly (the daemon's
    ///   writer does, every second). SQLite's automatic checkpoint runs inside a commit and
    ///   syncs the file: measured here, 15–50 ms added to the commit that triggers it, which
    ///   would be an alarm's commit now and then. A checkpoint on a connection of its own runs
    ///   beside the writer instead.
    public init(path: String, readOnly: Bool = false, manualCheckpoints: Bool = false) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.label = "campusguard-store"
        // A busy database (an export holding a read transaction during a checkpoint) waits
        // rather than failing a write.
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            if !db.configuration.readonly {
                // Deleted readings give their pages back to the file system (retention, size cap);
                // takes effect on a new file, before its first table.
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                // WAL without fsync on every commit: a commit survives a crash or kill -9 of the
                // daemon; after a power cut the last commits may be lost, the file stays sound.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                if manualCheckpoints { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            }
        }
        do {
            if readOnly {
                guard FileManager.default.fileExists(atPath: path) else {
                    throw StoreError(operation: "opening \(path)", message: "no store at this path")
                }
            } else {
                let dir = (path as NSString).deletingLastPathComponent
                if !dir.isEmpty {
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                }
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            if !readOnly {
                try Self.migrator.migrate(pool)
            }
            try pool.read { db in _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            if manualCheckpoints && !readOnly {
                var c = Configuration()
                c.label = "campusguard-checkpoint"
                c.busyMode = .timeout(5)
                checkpointer = try DatabaseQueue(path: path, configuration: c)
            } else {
                checkpointer = nil
            }
        } catch {
            throw StoreError.wrapping(error, "opening \(path)")
        }
    }

    /// Copies the WAL's committed pages into the database file (SQLite's PASSIVE checkpoint: it
    /// never waits for or blocks the writer), on its own connection and queue.
    public func checkpoint() async throws(StoreError) {
        guard let checkpointer else { return }
        do {
            try await checkpointer.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
        } catch {
            throw StoreError.wrapping(error, "checkpointing the WAL")
        }
    }

    /// The schema's migrations, oldest first. A store made by an older version is brought up
    /// to date when opened; its rows are kept.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration(StoreSchema.v1) { db in try StoreSchema.createV1(db) }
        m.registerMigration(StoreSchema.v2) { db in try StoreSchema.createV2(db) }
        m.registerMigration(StoreSchema.v3) { db in try StoreSchema.createV3(db) }
        m.registerMigration(StoreSchema.v4Tickets) { db in try StoreSchema.createV4Tickets(db) }
        m.registerMigration(StoreSchema.v5Maintenance) { db in try StoreSchema.createV5Maintenance(db) }
        return m
    }

    /// The names of the migrations applied to this file, oldest first.
    public func appliedMigrations() throws(StoreError) -> [String] {
        do {
            return try pool.read { db in try Self.migrator.appliedMigrations(db) }
        } catch {
            throw StoreError.wrapping(error, "reading the schema version")
        }
    }

    // MARK: - Meta

    func meta(_ key: String, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
    }

    func setMeta(_ key: String, _ value: Int64, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            arguments: [key, value]
        )
    }

    /// Sets a counter that only moves forward.
    func advanceMeta(_ key: String, _ value: Int64, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO meta(key, value) VALUES (?, ?)
                ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)
                """,
            arguments: [key, value]
        )
    }

    /// Runs a write transaction on the writer queue (never on the concurrency pool's threads).
    func write<T: Sendable>(
        _ operation: String,
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw StoreError.wrapping(error, operation)
        }
    }

    func read<T: Sendable>(
        _ operation: String,
        _ body: @escaping @Sendable (Database) throws -> T
    ) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw StoreError.wrapping(error, operation)
        }
    }
}
