import CampusGuardCore

/// A device tested by a person: who, when, the result, and the test alarm that shows the
/// device really alarmed (docs/tickets.md).
public struct InspectionRecord: Sendable, Hashable {
    /// Pass or fail, as the person found it.
    public enum Result: String, CaseIterable, Sendable, Hashable {
        case pass, fail
    }

    /// A test alarm of the device (an `alarm.raised` event marked `test`: a self-test, a test
    /// in maintenance mode or a drill) taken as evidence of the test.
    public struct Evidence: Sendable, Hashable {
        public var alarm: String
        public var raisedAt: Instant
        /// True when the store found it in the window before the record
        /// (`Store.inspectionEvidenceWindow`); false when the record named it.
        public var automatic: Bool

        public init(alarm: String, raisedAt: Instant, automatic: Bool) {
            self.alarm = alarm
            self.raisedAt = raisedAt
            self.automatic = automatic
        }
    }

    /// The record's number in the store.
    public var id: Int64
    public var device: String
    public var at: Instant
    /// Who tested: the API token's name.
    public var by: String
    public var result: Result
    public var note: String?
    public var evidence: Evidence?
    /// The hazard ticket opened for a failed test, if one was asked for.
    public var ticket: String?
}

/// An inspection to record.
public struct NewInspection: Sendable, Hashable {
    public var device: String
    public var result: InspectionRecord.Result
    public var by: String
    public var note: String?
    /// The id of a test alarm of this device to link as evidence; nil: the latest test alarm
    /// of the device in `Store.inspectionEvidenceWindow` before the record, if any.
    public var evidence: String?
    /// For a failed test: a hazard ticket to open in the same transaction (its `by` is this
    /// record's `by`).
    public var ticket: NewTicket?

    public init(
        device: String,
        result: InspectionRecord.Result,
        by: String,
        note: String? = nil,
        evidence: String? = nil,
        ticket: NewTicket? = nil
    ) {
        self.device = device
        self.result = result
        self.by = by
        self.note = note
        self.evidence = evidence
        self.ticket = ticket
    }
}
