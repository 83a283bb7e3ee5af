import CampusGuardCore
import CampusGuardStore
import Hummingbird
import HummingbirdTLS
import Logging
import ServiceLifecycle

/// The HTTP API for duty and maintenance staff (docs/api.md): open alarms, acknowledge and
/// resolve, drills, and the signed acknowledge link a phone opens from an alarm message.
///
/// A `Service`: it listens on `api.listen` until graceful shutdown. People's commands go to
/// the engine through `CommandHandler`; what it lists comes from the store.
public struct APIServer: Service {
    private let startSite: SiteConfig
    let commands: any CommandHandler
    let store: Store?
    let logger: Logger
    let clock: @Sendable () -> Instant
    let board: @Sendable () -> EngineBoard
    let observation: (any GatewayObservation)?
    private let startProfiles: [String: DeviceProfile]
    private let current: (@Sendable () -> Campus)?
    /// Each device's Contact ID group and zone, as the police link reports it.
    let contactID: ContactIDAddressing
    let tokens: APITokens
    let ackLinkKey: AckLinkKey?
    /// HTTPS on the listener (`api.tls_cert_file`, `api.tls_key_file`); nil: plain HTTP.
    let tls: TLSConfiguration?
    let host: String
    let port: Int
    /// What the web page reads beyond the engine and the store: inspection records and open
    /// hazard tickets (default: none). Set by the composition root.
    public var webSources = WebPageSources()

    /// Builds the server from the site's config (`api.*`; buildings and time zone for the
    /// pages). Reads the acknowledge-link key file, if one is configured; the tokens file is
    /// read on demand and re-read when it changes.
    ///
    /// - Parameters:
    ///   - commands: where acknowledge, resolve and drill commands go (the engine's queue).
    ///   - store: where open alarms are read from; nil: `GET /api/v1/alarms` answers 503.
    ///   - clock: now, for drills' start and links' expiry.
    ///   - board: the engine's latest board (devices' status and values, open alarms).
    ///   - observation: the running daemon, for `/metrics`, `/readyz` and a real `/healthz`;
    ///     nil: `/healthz` always answers ok and the other two are not served.
    ///   - profiles: the devices' profiles by id (`Campus.profiles`), for `GET /api/v1/devices`.
    ///   - current: the campus the daemon runs by now (after a SIGHUP reload, the new one's
    ///     devices, buildings and profiles); nil: `config` and `profiles` for good.
    /// - Throws: `ServerError` when `api.listen` is not `HOST:PORT` or the key file cannot be
    ///   read or is too short.
    public init(
        config: SiteConfig,
        commands: any CommandHandler,
        store: Store?,
        logger: Logger,
        clock: @escaping @Sendable () -> Instant,
        board: @escaping @Sendable () -> EngineBoard = { .empty },
        observation: (any GatewayObservation)? = nil,
        profiles: [String: DeviceProfile] = [:],
        current: (@Sendable () -> Campus)? = nil
    ) throws(ServerError) {
        guard let (host, port) = Self.hostPort(config.api.listen) else {
            throw .setting("api.listen \"\(config.api.listen)\" must be HOST:PORT, e.g. 127.0.0.1:8080")
        }
        self.startSite = config
        self.current = current
        self.commands = commands
        self.store = store
        self.logger = logger
        self.clock = clock
        self.board = board
        self.webSources = store.map { WebPageSources(store: $0) } ?? WebPageSources()
        self.observation = observation
        self.startProfiles = profiles
        self.contactID = ContactIDAddressing(config: config)
        self.host = host
        self.port = port
        self.tokens = APITokens(path: config.api.tokensFile, logger: logger)
        self.ackLinkKey = try config.api.ackLinkKeyFile.map { path throws(ServerError) in try AckLinkKey(file: path) }
        self.tls = try Self.tlsConfiguration(config.api)
    }

    /// The site's config as the daemon runs by it now: buildings, devices and their names
    /// follow a reload; `api.*` never changes while the daemon runs.
    var site: SiteConfig { current?().config ?? startSite }

    /// The configured devices' profiles by id (vendor, model, channels' units, the device's kind).
    var profiles: [String: DeviceProfile] { current?().profiles ?? startProfiles }

    /// Serves until graceful shutdown (or cancellation); throws if it cannot listen.
    public func run() async throws {
        // Read now, so the log shows at start how many tokens there are (or that the file is missing).
        _ = tokens.count
        await closeDrillLeftOpen("daemon start")
        try await application().run()
        await closeDrillLeftOpen("daemon stop")
    }

    /// The routes and the listener as a Hummingbird application; `run()` runs it, tests drive
    /// it with HummingbirdTesting.
    public func application() throws -> some ApplicationProtocol {
        let router = self.router()
        let logger = self.logger
        let links = ackLinkKey != nil
        let https = tls != nil
        return Application(
            router: router,
            server: try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                logger.info(
                    "HTTP API listening",
                    metadata: [
                        "address": "\(channel.localAddress.map { "\($0)" } ?? "?")", "ack_links": "\(links)",
                        "https": "\(https)",
                    ]
                )
            },
            logger: logger
        )
    }

    /// Every route the server answers; docs/openapi.yaml describes each (a test holds them together).
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        addHealthRoutes(to: router)
        addAlarmRoutes(to: router)
        addDrillRoutes(to: router)
        addAckLinkRoutes(to: router)
        addDeviceRoutes(to: router)
        addReadingRoutes(to: router)
        addMaintenanceRoutes(to: router)
        addDrillReportRoutes(to: router)
        addReportRoutes(to: router)
        addTicketRoutes(to: router)
        addInspectionRoutes(to: router)
        addWebRoutes(to: router)
        return router
    }

    /// The server's TLS settings from its certificate chain and key files (PEM), read once at
    /// start: a configured file that cannot be read stops the daemon with the reason.
    static func tlsConfiguration(_ api: SiteConfig.API) throws(ServerError) -> TLSConfiguration? {
        guard let certFile = api.tlsCertFile, let keyFile = api.tlsKeyFile else { return nil }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certFile)
            guard !chain.isEmpty else {
                throw ServerError.setting("api.tls_cert_file \(certFile) holds no PEM certificate")
            }
            let key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
            return TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) },
                privateKey: .privateKey(key)
            )
        } catch let error as ServerError {
            throw error
        } catch {
            throw .setting("api TLS: cannot use \(certFile) and \(keyFile): \(error)")
        }
    }

    /// `127.0.0.1:8080`, `[::1]:8080`, `gateway.lan:80` → host and port.
    static func hostPort(_ text: String) -> (String, Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }
}
