import CampusGuardCore
import CampusGuardStore
import Logging

extension EngineService {
    /// Puts back the maintenance the API recorded and that has not ended yet: a restart does
    /// not end it. A device no longer in the config (or now a panic button) is skipped.
    func restoreMaintenance(_ engine: inout AlarmEngine, from store: Store) {
        do {
            for entry in try store.maintenance(at: clock()) {
                do {
                    try engine.startMaintenance(device: entry.device, until: entry.until)
                    logger.notice(
                        "maintenance taken back from the store",
                        metadata: ["device.id": "\(entry.device)", "until": "\(entry.until)"]
                    )
                } catch {
                    logger.warning(
                        "stored maintenance not taken back",
                        metadata: ["device.id": "\(entry.device)", "reason": "\(error)"]
                    )
                }
            }
        } catch {
            logger.error("cannot read maintenance from the store", metadata: ["reason": "\(error)"])
        }
    }
}
