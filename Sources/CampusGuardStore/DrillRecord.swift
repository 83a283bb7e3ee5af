import CampusGuardCore
import GRDB

/// One drill as the store's drill log keeps it: what the API started, and when it stopped.
public struct DrillRecord: Sendable, Hashable {
    /// The drill's number in the log, for `campusguard drill report --drill ID`.
    public var id: Int64
    public var name: String
    /// The buildings it covered, sorted; nil for the whole site.
    public var buildings: [String]?
    public var includesPanicButtons: Bool
    public var started: Instant
    /// Nil while it runs.
    public var stopped: Instant?
    /// Who started and stopped it: the API token's name, or `daemon restart` (the engine
    /// forgets a drill when it stops).
    public var startedBy: String?
    public var stoppedBy: String?

    public init(
        id: Int64,
        name: String,
        buildings: [String]? = nil,
        includesPanicButtons: Bool = false,
        started: Instant,
        stopped: Instant? = nil,
        startedBy: String? = nil,
        stoppedBy: String? = nil
    ) {
        self.id = id
        self.name = name
        self.buildings = buildings
        self.includesPanicButtons = includesPanicButtons
        self.started = started
        self.stopped = stopped
        self.startedBy = startedBy
        self.stoppedBy = stoppedBy
    }

    init(_ row: Row) {
        var buildings: [String]? = nil
        if let text: String = row["buildings"], case .array(let items)? = try? JSONParser.parse(text) {
            buildings = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
        }
        self.init(
            id: row["id"],
            name: row["name"],
            buildings: buildings,
            includesPanicButtons: row["include_panic"],
            started: Instant(millisecondsSinceEpoch: row["started"]),
            stopped: (row["stopped"] as Int64?).map(Instant.init(millisecondsSinceEpoch:)),
            startedBy: row["started_by"],
            stoppedBy: row["stopped_by"]
        )
    }
}
