import CampusGuardCore
import CampusGuardDelivery
import Logging
import Synchronization

extension DeliveryService {
    /// Takes a reloaded config's staff channels: a channel added or whose settings changed is
    /// built again (its secret read again), a channel removed is dropped. Attempts under way
    /// finish on the channel they started with; a delivery still pending for a removed channel
    /// fails (`no channel … in the config`). A channel that cannot be built (an unreadable
    /// secret) is kept as unusable, logged, as at start. Returns the ids built or dropped.
    func replaceChannels(
        _ configs: [SiteConfig.DeliveryChannel],
        running: [SiteConfig.DeliveryChannel],
        environment: [String: String]
    ) -> [String] {
        guard let http else { return [] }
        let before = Dictionary(running.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var built: [String: any StaffChannel] = [:]
        for config in configs where before[config.id] != config {
            do {
                built[config.id] = try StaffChannels.make(
                    config,
                    client: http,
                    logger: logger,
                    environment: environment
                )
            } catch {
                logger.critical(
                    "channel cannot deliver: its deliveries will fail until the config is fixed",
                    metadata: ["channel": "\(config.id)", "reason": "\(error)"]
                )
                built[config.id] = UnusableChannel(id: config.id, reason: "\(error)")
            }
        }
        let kept = Set(configs.map(\.id))
        let dropped = running.map(\.id).filter { !kept.contains($0) }
        staff.withLock { channels in
            for id in dropped { channels[id] = nil }
            for (id, channel) in built { channels[id] = channel }
        }
        return configs.map(\.id).filter { built[$0] != nil } + dropped
    }
}
