import CampusGuardCore

extension SiteConfig {
    /// This (reloaded) config with the parts a running daemon cannot change live put back as
    /// `running` has them, and the keys that differed: those take effect at the next restart.
    ///
    /// Fixed while running: the site's id and timezone, the MQTT brokers (URLs, credentials,
    /// TLS), the Modbus buses' settings, storage, the API listener and its files, the police
    /// link and the uplink. Everything else (devices, locations, thresholds, engine settings,
    /// roster, policies, staff channels) is applied.
    func keepingFixedParts(of running: SiteConfig) -> (config: SiteConfig, restartNeeded: [String]) {
        var c = self
        var keys: [String] = []
        if site.id != running.site.id {
            keys.append("site.id")
            c.site.id = running.site.id
        }
        if site.timezone != running.site.timezone {
            keys.append("site.timezone")
            c.site.timezone = running.site.timezone
        }
        keys += Self.changedIDs("mqtt.brokers", mqttBrokers, running.mqttBrokers, id: \.id)
        c.mqttBrokers = running.mqttBrokers
        keys += Self.changedIDs("modbus.buses", modbusBuses, running.modbusBuses, id: \.id)
        c.modbusBuses = running.modbusBuses
        if storage != running.storage {
            keys.append("storage")
            c.storage = running.storage
        }
        if api != running.api {
            keys.append("api")
            c.api = running.api
        }
        if policeLink != running.policeLink {
            keys.append("police_link")
            c.policeLink = running.policeLink
        }
        if uplink != running.uplink {
            keys.append("uplink")
            c.uplink = running.uplink
        }
        return (c, keys)
    }

    /// `section.ID` for each entry added, removed or changed, in the new order then the removed.
    private static func changedIDs<T: Hashable>(
        _ section: String,
        _ new: [T],
        _ old: [T],
        id: (T) -> String
    ) -> [String] {
        let before = Dictionary(old.map { (id($0), $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.map { (id($0), $0) }, uniquingKeysWith: { a, _ in a })
        var keys = new.filter { before[id($0)] != $0 }.map { "\(section).\(id($0))" }
        keys += old.filter { after[id($0)] == nil }.map { "\(section).\(id($0))" }
        return keys
    }
}
