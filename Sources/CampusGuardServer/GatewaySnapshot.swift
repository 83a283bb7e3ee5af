import CampusGuardCore

/// The daemon's parts at one instant, as metrics and readiness see them: gathered by the
/// daemon at scrape time, from the parts' thread-safe accessors and a few cheap store queries.
public struct GatewaySnapshot: Sendable {
    /// The engine's latest board: devices' status and the open alarms.
    public var board: EngineBoard
    /// How long ago the engine's loop last went round; nil before it started.
    public var engineLoopAge: Duration?
    /// Why the store is degraded (writes fail, or it could not be opened); nil when it works.
    public var storeProblem: String?
    /// The store's files on disk (database and WAL), in bytes; nil when there is no file.
    public var storeFileBytes: Int64?
    /// Deliveries in the outbox not yet sent or given up; nil when the store cannot be read.
    public var outboxPending: Int?
    /// Events and readings not yet acknowledged by the uplink; nil without an uplink or store.
    public var uplinkBacklog: UplinkBacklog?
    /// One entry per MQTT broker the daemon subscribes to.
    public var brokers: [LinkState]
    /// One entry per Modbus bus the daemon polls.
    public var buses: [LinkState]
    /// The police link (up when any receiver acknowledged last); nil when not configured.
    public var policeLink: LinkState?
    /// The uplink's connection; nil when not configured.
    public var uplink: LinkState?
    /// Bad input and failed requests so far, by protocol and kind (totals since start).
    public var inputErrors: [InputErrorTotal]

    public init(
        board: EngineBoard,
        engineLoopAge: Duration?,
        storeProblem: String? = nil,
        storeFileBytes: Int64? = nil,
        outboxPending: Int? = nil,
        uplinkBacklog: UplinkBacklog? = nil,
        brokers: [LinkState] = [],
        buses: [LinkState] = [],
        policeLink: LinkState? = nil,
        uplink: LinkState? = nil,
        inputErrors: [InputErrorTotal] = []
    ) {
        self.board = board
        self.engineLoopAge = engineLoopAge
        self.storeProblem = storeProblem
        self.storeFileBytes = storeFileBytes
        self.outboxPending = outboxPending
        self.uplinkBacklog = uplinkBacklog
        self.brokers = brokers
        self.buses = buses
        self.policeLink = policeLink
        self.uplink = uplink
        self.inputErrors = inputErrors
    }

    /// Rows the uplink has not sent yet.
    public struct UplinkBacklog: Sendable, Hashable {
        public var events: Int64
        public var readings: Int64

        public init(events: Int64, readings: Int64) {
            self.events = events
            self.readings = readings
        }
    }

    /// A connection's state: a broker, a bus, the police link, the uplink.
    public struct LinkState: Sendable, Hashable {
        /// The broker's or bus's id from the config; the part's name otherwise.
        public var id: String
        /// Connected; nil when not known yet (the police link before its first test).
        public var up: Bool?
        /// Why it is down, in words.
        public var reason: String?

        public init(id: String, up: Bool?, reason: String? = nil) {
            self.id = id
            self.up = up
            self.reason = reason
        }
    }

    /// How many inputs of one kind went wrong since the daemon started.
    public struct InputErrorTotal: Sendable, Hashable {
        /// `mqtt` or `modbus`.
        public var source: String
        /// `not_json`, `wrong_type`, `unknown_topic`, … (MQTT); `timeout`, `exception`, `connection` (Modbus).
        public var kind: String
        public var total: Int

        public init(source: String, kind: String, total: Int) {
            self.source = source
            self.kind = kind
            self.total = total
        }
    }
}
