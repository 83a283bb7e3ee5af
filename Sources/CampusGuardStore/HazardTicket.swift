import CampusGuardCore

/// A hazard ticket: a hazard found on the campus, tracked through its steps until it is closed
/// (docs/tickets.md).
public struct HazardTicket: Sendable, Hashable {
    /// `T-2026-0001`: the year it was opened (site time) and its number within that year.
    public var id: String
    public var title: String
    /// The building (a configured location id); every ticket has one.
    public var building: String
    /// `BUILDING/FLOOR/ROOM`, or the part of it known (`dorm-a/3`).
    public var location: String?
    public var device: String?
    /// The alarm or fault the ticket was opened from, and its kind.
    public var fault: String?
    public var kind: AlarmKind?
    public var status: TicketStatus
    /// Who is to put it right: the latest `assigned` step's assignee.
    public var assignee: String?
    public var createdAt: Instant
    public var createdBy: String
    /// The time of the latest step.
    public var updatedAt: Instant
    public var closedAt: Instant?
    /// Every step, oldest first; the first is always `found`.
    public var steps: [TicketStep]

    /// How long the ticket has been open at `now`; for a closed ticket, how long it took to close.
    public func age(at now: Instant) -> Interval {
        max((closedAt ?? now) - createdAt, .zero)
    }

    /// `T-2026-0001` → (2026, 1); nil when the text is not a ticket id.
    static func number(_ id: String) -> (year: Int64, seq: Int64)? {
        let parts = id.uppercased().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "T", parts[1].count == 4, let year = Int64(parts[1]),
            parts[2].allSatisfy(\.isASCII), let seq = Int64(parts[2]), seq > 0
        else { return nil }
        return (year, seq)
    }

    static func id(year: Int64, seq: Int64) -> String {
        let digits = String(seq)
        return "T-\(year)-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// One step of a hazard ticket: who did what, when, with a note and photos.
public struct TicketStep: Sendable, Hashable {
    public var kind: TicketStepKind
    public var at: Instant
    /// Who took the step: the API token's name.
    public var by: String
    public var note: String?
    /// http(s) URLs of photos (where the school keeps them), at most `NewTicketStep.maxPhotos`.
    public var photos: [String]
    /// For `assigned` (and `reopened`, when it names someone new): who is to put it right.
    public var assignee: String?

    public init(
        kind: TicketStepKind,
        at: Instant,
        by: String,
        note: String? = nil,
        photos: [String] = [],
        assignee: String? = nil
    ) {
        self.kind = kind
        self.at = at
        self.by = by
        self.note = note
        self.photos = photos
        self.assignee = assignee
    }
}
