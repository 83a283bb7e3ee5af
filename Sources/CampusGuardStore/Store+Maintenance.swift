import CampusGuardCore
import GRDB

extension Store {
    /// Records that a device is in maintenance until `until` (replacing an earlier end).
    public func recordMaintenance(device: String, until: Instant, by: String?) async throws(StoreError) {
        try await write("recording the maintenance of \(device)") { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO maintenance (device, until, started_by) VALUES (?, ?, ?)",
                arguments: [device, until.millisecondsSinceEpoch, by]
            )
        }
    }

    /// Records that a device's maintenance ended.
    public func recordMaintenanceEnd(device: String) async throws(StoreError) {
        try await write("recording the end of the maintenance of \(device)") { db in
            try db.execute(sql: "DELETE FROM maintenance WHERE device = ?", arguments: [device])
        }
    }

    /// The devices whose maintenance has not ended by `now`, with its end: what a restarted
    /// engine takes back.
    public func maintenance(at now: Instant) throws(StoreError) -> [(device: String, until: Instant)] {
        let rows: [(String, Int64)] = try read("reading maintenance") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT device, until FROM maintenance WHERE until > ? ORDER BY device",
                arguments: [now.millisecondsSinceEpoch]
            ).map { ($0["device"], $0["until"]) }
        }
        return rows.map { (device: $0.0, until: Instant(millisecondsSinceEpoch: $0.1)) }
    }
}
