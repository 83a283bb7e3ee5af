import AsyncHTTPClient
import CampusGuardConfig
import CampusGuardCore
import CampusGuardDelivery
import CampusGuardMQTT
import CampusGuardModbus
import CampusGuardServer
import CampusGuardStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Wires the daemon's parts from a validated config: the MQTT sources, the Modbus pollers, the
/// inbox and the engine.
/// `campusguard run` and the integration tests build the gateway the same way.
public struct Gateway: Sendable {
    public let engine: EngineService
    public let writer: StoreWriter
    public let intake: Intake
    public let uplink: UplinkService?
    public let delivery: DeliveryService
    public let police: PoliceLinkClient?
    public let api: APIServer?
    let logger: Logger
    /// The campus the daemon runs by; `reload(from:)` replaces it.
    public let running: RunningConfig
    /// Where secrets named by credential are found (systemd's `CREDENTIALS_DIRECTORY`), for reloads.
    let environment: [String: String]
    public let sources: [MQTTSource]
    public let pollers: [ModbusBusPoller]
    public let inbox: GatewayInbox
    public let badInput: BadInputLog
    /// The daemon's state for `/metrics`, `/readyz` and `/healthz` (and status lines).
    public let observer: GatewayObserver
    /// systemd's notify socket and watchdog (inert when not started by systemd with `Type=notify`).
    public let notifier: SystemdNotifier

    /// The wall clock, as the engine's `Instant`.
    public static let wallClock: @Sendable () -> Instant = {
        Instant(secondsSinceEpoch: Date().timeIntervalSince1970)
    }

    public init(
        loaded: LoadedConfig,
        storagePath: String? = nil,
        logger: Logger,
        clock: @escaping @Sendable () -> Instant = Gateway.wallClock,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        output: @escaping @Sendable ([Event]) -> Void
    ) throws {
        self.logger = logger
        self.notifier = SystemdNotifier(environment: environment, logger: logger)
        let campus = loaded.campus
        let running = RunningConfig(campus)
        self.running = running
        self.environment = environment
        let inbox = GatewayInbox()
        let badInput = BadInputLog(logger: logger)
        let metrics = GatewayMetrics(
            channels: campus.config.channels.map(\.id) + (campus.config.policeLink == nil ? [] : ["police"])
        )
        var storage = campus.config.storage
        if let storagePath {
            storage.path = storagePath
            storage.journalDirectory = nil
        }
        let (store, journal) = Self.openStore(storage, logger: logger)
        let intake = Intake(inbox: inbox, journal: journal)
        let recovery = JournalRecovery.load(journal: journal, store: store, intake: intake)
        if journal != nil && store == nil {
            logger.error("store unavailable: the intake journal is kept and taken again at the next start")
        }
        let writer = StoreWriter(
            store: store,
            storePath: storage.path,
            journal: journal,
            retention: RetentionPolicy(maxAge: storage.keepReadings, maxBytes: storage.maxSize),
            logger: logger,
            clock: clock
        )
        var sources: [MQTTSource] = []
        for broker in campus.config.mqttBrokers {
            let topics = MQTTSource.subscriptions(campus: campus, brokerID: broker.id)
            guard !topics.isEmpty else { continue }
            let options = try Self.clientOptions(broker, site: campus.config.site.id, environment: environment)
            var brokerLogger = logger
            brokerLogger[metadataKey: "broker"] = "\(broker.id)"
            sources.append(
                try MQTTSource(
                    brokerID: broker.id,
                    options: options,
                    campus: campus,
                    badInput: badInput,
                    logger: brokerLogger,
                    clock: clock,
                    deliver: { batch in
                        metrics.countReadings(batch.readings.count, from: .mqtt)
                        return intake.push(batch)
                    }
                )
            )
        }
        var pollers: [ModbusBusPoller] = []
        for bus in campus.config.modbusBuses where campus.devices.contains(where: { $0.config.bus == bus.id }) {
            var busLogger = logger
            busLogger[metadataKey: "bus"] = "\(bus.id)"
            pollers.append(
                try ModbusBusPoller(bus: bus, campus: campus, logger: busLogger, clock: clock) { batch in
                    metrics.countReadings(batch.readings.count, from: .modbus)
                    return intake.push(batch)
                }
            )
        }
        if let link = campus.config.uplink {
            var uplinkLogger = logger
            uplinkLogger[metadataKey: "uplink"] = "\(link.url)"
            uplink = try UplinkService(
                uplink: link,
                site: campus.config.site.id,
                options: Self.clientOptions(link.connection, site: campus.config.site.id, environment: environment),
                writer: writer,
                logger: uplinkLogger,
                clock: clock
            )
        } else {
            uplink = nil
        }
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: StaffChannels.clientConfiguration())
        var deliveryLogger = logger
        deliveryLogger[metadataKey: "part"] = "delivery"
        var channels: [any StaffChannel] = []
        for channel in campus.config.channels {
            do {
                channels.append(
                    try StaffChannels.make(channel, client: http, logger: deliveryLogger, environment: environment)
                )
            } catch {
                deliveryLogger.critical(
                    "channel cannot deliver: its deliveries will fail until the config is fixed",
                    metadata: ["channel": "\(channel.id)", "reason": "\(error)"]
                )
                channels.append(UnusableChannel(id: channel.id, reason: "\(error)"))
            }
        }
        var police: PoliceLinkClient? = nil
        // The police link reports its receivers' state to the engine, built below.
        let engineRef = Mutex<EngineService?>(nil)
        if let link = campus.config.policeLink {
            // The link is down when every configured receiver is: a backup that answers is enough.
            let receivers = link.backup == nil ? 1 : 2
            let down = Mutex<[String: String]>([:])
            do {
                police = try PoliceLinkClient(
                    options: PoliceLinkOptions(config: link),
                    logger: deliveryLogger,
                    onStatus: { status in
                        let (up, detail) = down.withLock { d -> (Bool, String?) in
                            let role = "\(status.receiver.role)"
                            if status.isUp { d[role] = nil } else { d[role] = "\(role): \(status.reason ?? "down")" }
                            return (d.count < receivers, d.values.sorted().joined(separator: "; "))
                        }
                        engineRef.withLock { $0 }?.linkChanged("police-link", up: up, detail: up ? nil : detail)
                    }
                )
            } catch {
                try? http.syncShutdown()
                throw GatewayError("police_link: \(error)")
            }
        }
        self.police = police
        var acknowledgeLink: AcknowledgeLink? = nil
        if let file = campus.config.api.ackLinkKeyFile, let base = campus.config.api.publicURL {
            do {
                let key = try AckLinkKey(file: file)
                acknowledgeLink = AcknowledgeLink(baseURL: base, key: SigningSecret(bytes: key.bytes))
            } catch {
                try? http.syncShutdown()
                throw GatewayError("\(error)")
            }
        }
        let delivery = DeliveryService(
            campus: campus,
            channels: channels,
            police: police,
            writer: writer,
            http: http,
            acknowledgeLink: acknowledgeLink,
            logger: deliveryLogger,
            clock: clock,
            output: { events in
                output(events)
                metrics.observe(events)
            }
        )
        self.delivery = delivery
        self.inbox = inbox
        self.intake = intake
        self.writer = writer
        self.badInput = badInput
        self.sources = sources
        self.pollers = pollers
        let engine = EngineService(
            campus: campus,
            inbox: inbox,
            recovery: recovery,
            writer: writer,
            logger: logger,
            clock: clock,
            output: { events in
                output(events)
                delivery.submit(events)
                // After the hand-off to delivery: counting never delays an alarm.
                metrics.observe(events)
            }
        )
        self.engine = engine
        engineRef.withLock { $0 = engine }
        let observer = GatewayObserver(
            metrics: metrics,
            engine: engine,
            writer: writer,
            sources: sources,
            pollers: pollers,
            police: police,
            uplink: uplink,
            badInput: badInput
        )
        self.observer = observer
        var apiLogger = logger
        apiLogger[metadataKey: "part"] = "api"
        do {
            let server = try APIServer(
                config: campus.config,
                commands: engine,
                store: store,
                logger: apiLogger,
                clock: clock,
                board: { engine.board },
                observation: observer,
                profiles: campus.profiles,
                current: { running.campus }
            )
            api = server
        } catch {
            try? http.syncShutdown()
            throw GatewayError("api: \(error)")
        }
    }

    /// Every service. A service group stops them in reverse order: the sources first (no more
    /// intake), then the engine, after it has processed what the sources handed over, and the
    /// store's writer last, after it has written what the engine handed over. systemd's notifier
    /// starts last (ready once the rest has started) and is the first told to stop (`STOPPING=1`).
    public var services: [any Service] {
        [writer as any Service, engine as any Service, delivery as any Service]
            + (api.map { [NonEssentialService(name: "api", service: $0, logger: logger) as any Service] } ?? [])
            + (police.map { [$0 as any Service] } ?? []) + (uplink.map { [$0 as any Service] } ?? [])
            + sources.map { $0 as any Service } + pollers.map { $0 as any Service }
            + (notifier.isEnabled
                ? [SystemdService(notifier: notifier, gateway: self, logger: logger) as any Service]
                : [])
    }

    /// The store and the intake journal; either may be missing (a corrupt file, a read-only
    /// directory): the daemon then runs degraded, from memory, and says so.
    static func openStore(_ storage: SiteConfig.Storage, logger: Logger) -> (Store?, IntakeJournal?) {
        var store: Store? = nil
        do {
            store = try Store(path: storage.path, manualCheckpoints: true)
        } catch {
            logger.error(
                "store unavailable: running from memory (alarms are still processed and delivered)",
                metadata: ["path": "\(storage.path)", "reason": "\(error.condition): \(error)"]
            )
        }
        var journal: IntakeJournal? = nil
        do {
            journal = try IntakeJournal(directory: storage.journalPath)
        } catch {
            logger.error(
                "intake journal unavailable: a kill -9 may lose what is not yet in the store",
                metadata: ["path": "\(storage.journalPath)", "reason": "\(error)"]
            )
        }
        return (store, journal)
    }

    static func clientOptions(
        _ broker: SiteConfig.MQTTBroker,
        site: String,
        environment: [String: String]
    ) throws -> MQTTClientOptions {
        guard let endpoint = BrokerEndpoint(url: broker.url) else {
            throw GatewayError("broker \(broker.id): \(broker.url) is not an mqtt:// or mqtts:// URL")
        }
        var password: String? = nil
        if let file = broker.passwordFile {
            password = try Self.readSecret(file, what: "broker \(broker.id) password_file")
        } else if let name = broker.passwordCredential {
            guard let dir = environment["CREDENTIALS_DIRECTORY"] else {
                throw GatewayError(
                    "broker \(broker.id): password_credential \(name) needs systemd's CREDENTIALS_DIRECTORY (LoadCredential=)"
                )
            }
            password = try Self.readSecret(dir + "/" + name, what: "broker \(broker.id) credential \(name)")
        }
        return MQTTClientOptions(
            endpoint: endpoint,
            clientID: broker.clientID ?? "campusguard-\(site)-\(broker.id)",
            cleanSession: false,
            keepAliveSeconds: Int(broker.keepAlive.milliseconds / 1000),
            username: broker.username,
            password: password,
            caFile: broker.caFile,
            certFile: broker.certFile,
            keyFile: broker.keyFile
        )
    }

    /// A secret file's content without its trailing newline; the error never includes the content.
    static func readSecret(_ path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GatewayError("\(what): cannot read \(path)")
        }
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}

/// Why the daemon could not be assembled from a valid config (a secret file missing, …).
public struct GatewayError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
