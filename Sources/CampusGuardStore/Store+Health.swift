import Foundation
import GRDB

extension Store {
    /// Deliveries waiting in the outbox (pending: not sent, given up or cancelled); counted on
    /// the outbox's partial index of pending rows.
    public func pendingDeliveryCount() throws(StoreError) -> Int {
        try read("counting pending deliveries") { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE status = 'pending'") ?? 0
        }
    }

    /// Bytes of the store's files on disk at `path`: the database and its WAL; nil when there
    /// is no database file.
    public static func fileBytes(at path: String) -> Int64? {
        func size(_ p: String) -> Int64? {
            (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? NSNumber)?.int64Value
        }
        guard let main = size(path) else { return nil }
        return main + (size(path + "-wal") ?? 0)
    }
}
