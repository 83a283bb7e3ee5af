import GRDB

/// The store's tables, one migration per schema version. A migration, once released, never
/// changes: a new version adds one.
enum StoreSchema {
    static let v1 = "v1-readings-events"
    static let v2 = "v2-outbox-uplink"
    static let v3 = "v3-drills"
    static let v4Maintenance = "v4-api"

    /// Readings, the series they belong to, events and the store's counters.
    static func createV1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE series (
                    id INTEGER PRIMARY KEY,
                    device TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    UNIQUE (device, channel)
                );
                CREATE TABLE readings (
                    id INTEGER PRIMARY KEY,
                    ts INTEGER NOT NULL,
                    series INTEGER NOT NULL,
                    value REAL,
                    text TEXT,
                    flags INTEGER NOT NULL
                );
                CREATE INDEX readings_by_ts ON readings (ts);
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY,
                    ts INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    alarm TEXT,
                    kind TEXT NOT NULL,
                    test INTEGER NOT NULL,
                    devices TEXT NOT NULL,
                    line TEXT NOT NULL
                );
                CREATE INDEX events_by_ts ON events (ts);
                CREATE INDEX events_by_alarm ON events (alarm);
                """
        )
    }

    /// The delivery outbox and the uplink's progress.
    static func createV2(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY,
                    delivery TEXT NOT NULL UNIQUE,
                    event INTEGER,
                    alarm TEXT,
                    target TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    status TEXT NOT NULL DEFAULT 'pending',
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt INTEGER NOT NULL,
                    last_error TEXT,
                    created INTEGER NOT NULL,
                    finished INTEGER
                );
                CREATE INDEX outbox_pending ON outbox (next_attempt) WHERE status = 'pending';
                CREATE TABLE uplink (stream TEXT PRIMARY KEY, sent_through INTEGER NOT NULL) WITHOUT ROWID;
                """
        )
    }

    /// The drill log: the engine keeps no drill events, so the API records each drill's
    /// start and stop here for `campusguard drill report`.
    static func createV3(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE drills (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    buildings TEXT,
                    include_panic INTEGER NOT NULL,
                    started INTEGER NOT NULL,
                    stopped INTEGER,
                    started_by TEXT,
                    stopped_by TEXT
                );
                CREATE INDEX drills_by_started ON drills (started);
                """
        )
    }

    /// Devices in maintenance mode, so that a restart of the daemon does not end it.
    static func createV4Maintenance(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE maintenance (
                    device TEXT PRIMARY KEY,
                    until INTEGER NOT NULL,
                    started_by TEXT
                ) WITHOUT ROWID;
                """
        )
    }
}
