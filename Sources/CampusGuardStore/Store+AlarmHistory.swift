import CampusGuardCore
import GRDB

extension Store {
    /// The alarms and faults raised from `since` on, newest first, at most `limit`, each with
    /// its whole lifecycle (also the steps after a later `since`).
    public func alarmHistory(since: Instant, limit: Int) throws(StoreError) -> [AlarmHistoryRecord] {
        let (ids, events): ([String], [Event]) = try read("reading the alarm history") { db in
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT alarm FROM events
                    WHERE ts >= ? AND type IN ('alarm.raised', 'fault.raised') AND alarm IS NOT NULL
                    ORDER BY ts DESC, id DESC LIMIT ?
                    """,
                arguments: [since.millisecondsSinceEpoch, max(limit, 0)]
            )
            guard !ids.isEmpty else { return ([], []) }
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
            let lines = try String.fetchAll(
                db,
                sql: "SELECT line FROM events WHERE alarm IN (\(marks)) ORDER BY id",
                arguments: StatementArguments(ids)
            )
            return (ids, lines.compactMap(Event.init(jsonLine:)))
        }
        let records = Dictionary(
            AlarmHistoryRecord.records(from: events).map { ($0.id, $0) },
            uniquingKeysWith: { a, _ in a }
        )
        return ids.compactMap { records[$0] }
    }
}
