import CampusGuardCore
import GRDB

extension Store {
    /// Every event, in order, of the alarms and faults that were open at some time from
    /// `since` up to (not including) `until`: raised before `until` and not closed
    /// (`alarm.resolved`, `alarm.cleared`, `fault.cleared`) before `since`. Their later events
    /// (an acknowledgement after `until`) come too. What `GET /api/v1/report` is worked out from.
    public func reportEvents(since: Instant, until: Instant) throws(StoreError) -> [Event] {
        try read("reading the events of the report's period") { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT line FROM events WHERE alarm IN (
                        SELECT alarm FROM events WHERE alarm IS NOT NULL GROUP BY alarm
                        HAVING min(ts) < :until AND coalesce(
                            max(CASE WHEN type IN ('alarm.resolved', 'alarm.cleared', 'fault.cleared') THEN ts END),
                            :since
                        ) >= :since
                    ) ORDER BY id
                    """,
                arguments: ["since": since.millisecondsSinceEpoch, "until": until.millisecondsSinceEpoch]
            ).compactMap(Event.init(jsonLine:))
        }
    }
}
