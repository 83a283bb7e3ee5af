import GRDB

/// The store's tables, one migration per schema version. A migration, once released, never
/// changes: a new version adds one.
enum StoreSchema {
    static let v1 = "v1-readings-events"
    static let v2 = "v2-outbox-uplink"
    static let v3 = "v3-drills"
    static let v4Tickets = "v4-tickets"
    static let v5Maintenance = "v5-maintenance"

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

    /// Hazard tickets with their steps (the closed loop found → assigned → rectified →
    /// verified → closed), and inspection records of devices (docs/tickets.md).
    static func createV4Tickets(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE tickets (
                    id INTEGER PRIMARY KEY,
                    year INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    title TEXT NOT NULL,
                    building TEXT NOT NULL,
                    location TEXT,
                    device TEXT,
                    fault TEXT,
                    kind TEXT,
                    status TEXT NOT NULL,
                    assignee TEXT,
                    created INTEGER NOT NULL,
                    created_by TEXT NOT NULL,
                    updated INTEGER NOT NULL,
                    closed INTEGER,
                    UNIQUE (year, seq)
                );
                CREATE INDEX tickets_by_created ON tickets (created);
                CREATE TABLE ticket_steps (
                    id INTEGER PRIMARY KEY,
                    ticket INTEGER NOT NULL REFERENCES tickets (id),
                    step TEXT NOT NULL,
                    ts INTEGER NOT NULL,
                    by TEXT NOT NULL,
                    note TEXT,
                    assignee TEXT,
                    photos TEXT
                );
                CREATE INDEX ticket_steps_by_ticket ON ticket_steps (ticket, id);
                CREATE TABLE inspections (
                    id INTEGER PRIMARY KEY,
                    device TEXT NOT NULL,
                    ts INTEGER NOT NULL,
                    by TEXT NOT NULL,
                    result TEXT NOT NULL,
                    note TEXT,
                    evidence_alarm TEXT,
                    evidence_ts INTEGER,
                    evidence_linked TEXT,
                    ticket INTEGER REFERENCES tickets (id)
                );
                CREATE INDEX inspections_by_device ON inspections (device, ts);
                CREATE INDEX inspections_by_ts ON inspections (ts);
                """
        )
    }

    /// Devices in maintenance mode, so that a restart of the daemon does not end it.
    static func createV5Maintenance(_ db: Database) throws {
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
