import CampusGuardCore

/// One alarm or fault and what became of it, as its stored events tell it: raised,
/// acknowledged (by whom, when), cleared (the condition gone), resolved (by whom, when, with
/// what note). `GET /api/v1/alarms?since=` lists these.
public struct AlarmHistoryRecord: Sendable, Hashable {
    public var id: String
    /// The kind it ended as (a smoke alarm confirmed as fire is `fire`), and the kind it was raised as.
    public var kind: AlarmKind
    public var raisedKind: AlarmKind
    public var severity: Severity
    public var location: String
    public var devices: [String]
    public var test: Bool
    public var reason: String
    public var raisedAt: Instant
    public var acknowledgedBy: String?
    public var acknowledgedAt: Instant?
    public var clearedAt: Instant?
    public var resolvedBy: String?
    public var resolvedAt: Instant?
    public var note: String?
    /// Closed: resolved by a person, or cleared when it does not latch (faults, overheat, …).
    public var closed: Bool

    /// `raised`, `acknowledged`, `cleared` or `resolved`: the last step it reached.
    public var state: String {
        if resolvedAt != nil { return "resolved" }
        if clearedAt != nil { return "cleared" }
        return acknowledgedAt == nil ? "raised" : "acknowledged"
    }

    /// Folds the events of some alarms (in stored order) into one record each, in the order
    /// they were raised. Events of alarms whose raising is not among them are ignored.
    public static func records(from events: [Event]) -> [AlarmHistoryRecord] {
        var records: [String: AlarmHistoryRecord] = [:]
        var order: [String] = []
        for e in events {
            guard let id = e.alarm else { continue }
            if e.type == .alarmRaised || e.type == .faultRaised {
                if records[id] == nil { order.append(id) }
                records[id] = AlarmHistoryRecord(
                    id: id,
                    kind: e.kind,
                    raisedKind: e.kind,
                    severity: e.severity,
                    location: e.location,
                    devices: e.devices,
                    test: e.test,
                    reason: e.reason ?? "",
                    raisedAt: e.timestamp,
                    closed: false
                )
                continue
            }
            guard var r = records[id] else { continue }
            switch e.type {
            case .alarmUpdated:
                r.kind = e.kind
                r.severity = e.severity
                if !e.devices.isEmpty { r.devices = e.devices }
                r.clearedAt = nil
            case .alarmAcknowledged where r.acknowledgedAt == nil:
                r.acknowledgedAt = e.timestamp
                r.acknowledgedBy = e.by
            case .alarmCleared:
                r.clearedAt = e.timestamp
                if !r.kind.latches { r.closed = true }
            case .faultCleared:
                r.clearedAt = e.timestamp
                r.closed = true
            case .alarmResolved:
                r.resolvedAt = e.timestamp
                r.resolvedBy = e.by
                r.note = e.note
                r.closed = true
            default:
                break
            }
            records[id] = r
        }
        return order.compactMap { records[$0] }
    }
}
