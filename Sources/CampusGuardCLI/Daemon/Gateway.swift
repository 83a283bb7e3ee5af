import CampusGuardConfig
import CampusGuardCore
import CampusGuardMQTT
import CampusGuardModbus
import Foundation
import Logging
import ServiceLifecycle

/// Wires the daemon's parts from a validated config: the MQTT sources, the Modbus pollers, the
/// inbox and the engine.
/// `campusguard run` and the integration tests build the gateway the same way.
public struct Gateway: Sendable {
    public let engine: EngineService
    public let sources: [MQTTSource]
    public let pollers: [ModbusBusPoller]
    public let inbox: GatewayInbox
    public let badInput: BadInputLog

    /// The wall clock, as the engine's `Instant`.
    public static let wallClock: @Sendable () -> Instant = {
        Instant(secondsSinceEpoch: Date().timeIntervalSince1970)
    }

    public init(
        loaded: LoadedConfig,
        logger: Logger,
        clock: @escaping @Sendable () -> Instant = Gateway.wallClock,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        output: @escaping @Sendable ([Event]) -> Void
    ) throws {
        let campus = loaded.campus
        let inbox = GatewayInbox()
        let badInput = BadInputLog(logger: logger)
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
                    deliver: { inbox.push(.batch($0)) }
                )
            )
        }
        var pollers: [ModbusBusPoller] = []
        for bus in campus.config.modbusBuses where campus.devices.contains(where: { $0.config.bus == bus.id }) {
            var busLogger = logger
            busLogger[metadataKey: "bus"] = "\(bus.id)"
            pollers.append(
                try ModbusBusPoller(bus: bus, campus: campus, logger: busLogger, clock: clock) {
                    inbox.push(.batch($0))
                }
            )
        }
        self.inbox = inbox
        self.badInput = badInput
        self.sources = sources
        self.pollers = pollers
        self.engine = EngineService(campus: campus, inbox: inbox, logger: logger, clock: clock, output: output)
    }

    /// Every service. A service group stops them in reverse order: the sources first (no more
    /// intake), the engine last, after it has processed what the sources handed over.
    public var services: [any Service] {
        [engine as any Service] + sources.map { $0 as any Service } + pollers.map { $0 as any Service }
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
