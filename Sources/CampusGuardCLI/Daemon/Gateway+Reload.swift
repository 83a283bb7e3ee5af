import CampusGuardConfig
import CampusGuardCore
import CampusGuardMQTT
import CampusGuardModbus
import Logging

extension Gateway {
    /// Reads the config file again and, when it is valid, applies it to the running daemon
    /// (SIGHUP, `systemctl reload`). Must not run twice at once: `ReloadService` serialises.
    ///
    /// Invalid: every problem is logged as `FILE:LINE:COLUMN: message`, then
    /// `reload refused: keeping the running config`; nothing changes. Valid: the escalation
    /// planner, then the engine (between two inbox items, so no reading is lost or judged
    /// twice), then the MQTT sources' topics and the Modbus pollers' devices take it; keys a
    /// running daemon cannot change are warned about and keep their running values.
    public func reload(from file: String) async -> ReloadOutcome {
        let loaded: LoadedConfig
        do {
            loaded = try ConfigLoader.load(file: file)
        } catch {
            let problems = error.diagnostics.map(\.description)
            return refuse(problems, file: file)
        }
        let before = running.campus
        let (config, restartNeeded) = loaded.config.keepingFixedParts(of: before.config)
        let campus: Campus
        do {
            campus = try Campus(config: config, profiles: loaded.campus.profiles)
        } catch {
            return refuse(error.problems.map { "\(file):1:1: \($0)" }, file: file)
        }
        let changes = DeviceChanges(from: before, to: campus)
        let channels = delivery.replaceChannels(
            config.channels,
            running: before.config.channels,
            environment: environment
        )
        delivery.reconfigure(campus: campus)
        let events: [Event]
        do {
            events = try await engine.reconfigure(campus)
        } catch {
            delivery.reconfigure(campus: before)
            return refuse(["\(file):1:1: \(error)"], file: file)
        }
        running.replace(with: campus)
        for source in sources {
            let (added, removed) = source.reconfigure(campus: campus)
            if !added.isEmpty || !removed.isEmpty {
                logger.info(
                    "reload: MQTT subscriptions changed",
                    metadata: [
                        "broker": "\(source.brokerID)", "subscribed": "\(added.joined(separator: ","))",
                        "unsubscribed": "\(removed.joined(separator: ","))",
                    ]
                )
            }
        }
        for poller in pollers { poller.reconfigure(campus: campus) }
        let summary = ReloadSummary(
            devices: changes,
            channelsChanged: channels,
            rosterChanged: config.roster != before.config.roster,
            policiesChanged: config.escalationPolicies != before.config.escalationPolicies,
            restartNeeded: restartNeeded + unservedDevices(campus),
            events: events.count
        )
        report(summary, campus: campus)
        return .applied(summary)
    }

    private func refuse(_ problems: [String], file: String) -> ReloadOutcome {
        for p in problems { logger.error("\(p)") }
        logger.error(
            "reload refused: keeping the running config",
            metadata: ["config": "\(file)", "problems": "\(problems.count)"]
        )
        return .refused(problems)
    }

    /// `devices.ID` of each device whose broker or bus has no running source or poller (one
    /// added by this reload, or one that had no devices at start): it is read from the next restart.
    private func unservedDevices(_ campus: Campus) -> [String] {
        let brokers = Set(sources.map(\.brokerID))
        let buses = Set(pollers.map(\.bus.id))
        let firstBroker = campus.config.mqttBrokers.first?.id
        return campus.devices.filter { d in
            if let bus = d.config.bus { return !buses.contains(bus) }
            guard d.stateTopic != nil, let broker = d.config.broker ?? firstBroker else { return false }
            return !brokers.contains(broker)
        }.map { "devices.\($0.id)" }
    }

    private func report(_ summary: ReloadSummary, campus: Campus) {
        for key in summary.restartNeeded {
            logger.warning("reload: this change takes effect at the next restart", metadata: ["key": "\(key)"])
        }
        let removed = Set(summary.devices.removed)
        for alarm in engine.board.openAlarms where alarm.devices.contains(where: removed.contains) {
            logger.notice(
                "reload: an alarm of a removed device stays open until a person resolves it",
                metadata: [
                    "alarm": "\(alarm.id)", "kind": "\(alarm.kind.rawValue)",
                    "devices": "\(alarm.devices.joined(separator: ","))",
                ]
            )
        }
        var metadata: Logger.Metadata = [
            "devices.added": "\(summary.devices.added.joined(separator: ","))",
            "devices.removed": "\(summary.devices.removed.joined(separator: ","))",
            "devices.changed": "\(summary.devices.changed.joined(separator: ","))",
            "events": "\(summary.events)",
        ]
        metadata["devices"] = "\(campus.devices.count)"
        logger.info("config reloaded: \(summary)", metadata: metadata)
    }
}
