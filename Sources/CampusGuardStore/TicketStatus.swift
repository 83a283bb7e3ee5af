/// Where a hazard ticket stands in the closed loop the school-safety rules ask for
/// (隐患排查整改闭环): found → assigned → rectified → verified → closed.
public enum TicketStatus: String, CaseIterable, Sendable, Hashable {
    /// Reported; nobody is responsible yet.
    case found
    /// Someone (the assignee) is to put it right.
    case assigned
    /// The assignee says it is put right; waiting for someone else to check.
    case rectified
    /// Someone other than the rectifier checked it; waiting to be closed.
    case verified
    /// Done (销号).
    case closed

    /// Every status but `closed`.
    public var isOpen: Bool { self != .closed }

    /// The steps that may follow this status, in the loop's order.
    public var nextSteps: [TicketStepKind] {
        switch self {
        case .found: [.assigned, .note]
        case .assigned: [.assigned, .rectified, .note]
        case .rectified: [.verified, .reopened, .note]
        case .verified: [.closed, .reopened, .note]
        case .closed: [.note]
        }
    }

    /// The status after `step`; nil when the step may not follow this status.
    public func after(_ step: TicketStepKind) -> TicketStatus? {
        guard nextSteps.contains(step) else { return nil }
        switch step {
        case .found: return nil
        case .assigned, .reopened: return .assigned
        case .rectified: return .rectified
        case .verified: return .verified
        case .closed: return .closed
        case .note: return self
        }
    }
}

/// One step of a hazard ticket: a move along the loop, or a comment.
public enum TicketStepKind: String, CaseIterable, Sendable, Hashable {
    /// The ticket was opened; always the first step, made by `createTicket`.
    case found
    /// Given to someone (the step's assignee) to put right; again to give it to someone else.
    case assigned
    case rectified
    /// Checked by someone other than the person who rectified it.
    case verified
    case closed
    /// A comment (with photos, if any) that does not change the status.
    case note
    /// The verification failed (or a verified ticket was found not right): back to assigned.
    case reopened
}
