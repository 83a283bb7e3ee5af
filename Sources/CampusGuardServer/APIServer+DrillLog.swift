import CampusGuardCore
import CampusGuardStore
import Logging

extension APIServer {
    /// Records in the store's drill log a drill the engine has started; its id, or nil without
    /// a store or when the write fails (the drill runs all the same; the log says so).
    func recordDrillStart(_ drill: Drill, by: String) async -> Int64? {
        guard let store else { return nil }
        do {
            return try await store.recordDrillStart(drill, by: by)
        } catch {
            logger.error(
                "drill started but not recorded: drill report will not show it",
                metadata: ["drill": "\(drill.name)", "error": "\(error)"]
            )
            return nil
        }
    }

    /// Records in the drill log that the running drill stopped now.
    func recordDrillStop(by: String) async {
        guard let store else { return }
        do {
            try await store.recordDrillStop(at: clock(), by: by)
        } catch {
            logger.error("drill stopped but the stop was not recorded", metadata: ["error": "\(error)"])
        }
    }

    /// The engine starts with no drill and forgets one when the daemon stops: a drill the log
    /// still shows running ends here, when the daemon starts or stops.
    func closeDrillLeftOpen(_ why: String) async {
        guard let store else { return }
        do {
            let closed = try await store.recordDrillStop(at: clock(), by: why)
            if !closed.isEmpty {
                logger.notice("drill ended with the daemon", metadata: ["drill.ids": "\(closed)", "why": "\(why)"])
            }
        } catch {
            logger.error("cannot close the drill left open in the drill log", metadata: ["error": "\(error)"])
        }
    }
}
