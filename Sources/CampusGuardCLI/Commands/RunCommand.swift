import ArgumentParser
import CampusGuardConfig
import CampusGuardCore
import CampusGuardServer
import Logging
import ServiceLifecycle
import UnixSignals

/// `campusguard run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the gateway: connect to the MQTT brokers, decide, report every event.",
        discussion: """
            Connects to every configured MQTT broker (persistent session, QoS 1), decodes each \
            device's messages by its profile, and runs the engine. Events are logged; with \
            --events they are also written as JSON Lines (the replay format). SIGTERM or SIGINT \
            stops it cleanly; SIGHUP reloads the config (devices, thresholds, roster, policies) \
            without dropping open alarms, and refuses an invalid one. Under systemd \
            (Type=notify) it reports READY=1, RELOADING=1, WATCHDOG=1 and STATUS= on \
            NOTIFY_SOCKET, and its log lines carry journald priorities; see docs/systemd.md.
            """
    )

    @Option(name: .long, help: "The config file (YAML).")
    var config: String

    @Option(name: .long, help: "Also write every event as a JSON line to this file, or - for stdout.")
    var events: String?

    @Option(
        name: .long,
        help: "Use this store file instead of the config's storage.path (its journal beside it)."
    )
    var storage: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() async throws {
        // First of all: SIGHUP's default action would end the daemon.
        let hangups = await ReloadService.trapHangup()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        // One line per entry, journald's priority prefix under systemd, repeats held back.
        let journal = JournalLogHandler.journalIsStandardError()
        let limiter = LogRateLimiter(limit: 10, window: .seconds(60))
        LoggingSystem.bootstrap { label in
            var handler = JournalLogHandler(label: label, journal: journal, limiter: limiter)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "campusguard")
        let loaded = try loadConfigOrExit(config)
        let writer = try events.map { try EventWriter(path: $0) }
        let gateway: Gateway
        do {
            gateway = try Gateway(loaded: loaded, storagePath: storage, logger: logger) { writer?.write($0) }
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode(1)
        }
        logger.info(
            "campusguard starting",
            metadata: [
                "config": "\(loaded.file)", "devices": "\(loaded.campus.devices.count)",
                "mqtt_sources": "\(gateway.sources.count)", "modbus_buses": "\(gateway.pollers.count)",
            ]
        )
        var reloadLogger = logger
        reloadLogger[metadataKey: "part"] = "reload"
        let file = config
        let notifier = gateway.notifier
        let reload = ReloadService(
            hangups: hangups,
            logger: reloadLogger,
            willReload: { notifier.reloading() },
            didReload: { _ in
                // READY=1 also after a refused reload: the old config keeps running.
                notifier.ready(
                    status: SystemdStatus.line(board: gateway.engine.board, parts: gateway.readiness().parts)
                )
            },
            reload: { await gateway.reload(from: file) }
        )
        let group = ServiceGroup(
            configuration: .init(
                services: (gateway.services + [reload]).map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        logger.info("campusguard stopped")
    }
}
