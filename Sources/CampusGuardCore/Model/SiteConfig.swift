/// The whole configuration of one campus, as validated from `campusguard.yaml`.
///
/// Only `site`, `locations` and `devices` are required; everything else has defaults, so a
/// small school gets a working system from the config contract alone.
public struct SiteConfig: Sendable {
    public var site: Site
    public var buildings: [Building]
    public var devices: [DeviceConfig]
    public var mqttBrokers: [MQTTBroker]
    public var modbusBuses: [ModbusBus]
    public var storage: Storage
    public var api: API
    public var channels: [DeliveryChannel]
    public var policeLink: PoliceLink?
    public var uplink: Uplink?
    public var thresholdsByLocationKind: [LocationKind: [ChannelID: ThresholdSpec]]
    public var engine: EngineSettings
    public var profileDirs: [String]
    /// People, roles, shifts and holidays: who is on duty when (`people`, `roster`).
    public var roster: DutyRoster
    /// `escalation.policies`, first match wins; empty: the default policy for every alarm.
    public var escalationPolicies: [EscalationPolicy]

    public init(
        site: Site,
        buildings: [Building],
        devices: [DeviceConfig],
        mqttBrokers: [MQTTBroker] = [],
        modbusBuses: [ModbusBus] = [],
        storage: Storage = Storage(),
        api: API = API(),
        channels: [DeliveryChannel] = [],
        policeLink: PoliceLink? = nil,
        uplink: Uplink? = nil,
        thresholdsByLocationKind: [LocationKind: [ChannelID: ThresholdSpec]] = [:],
        engine: EngineSettings = EngineSettings(),
        profileDirs: [String] = [],
        roster: DutyRoster = DutyRoster(),
        escalationPolicies: [EscalationPolicy] = []
    ) {
        self.site = site
        self.buildings = buildings
        self.devices = devices
        self.mqttBrokers = mqttBrokers
        self.modbusBuses = modbusBuses
        self.storage = storage
        self.api = api
        self.channels = channels
        self.policeLink = policeLink
        self.uplink = uplink
        self.thresholdsByLocationKind = thresholdsByLocationKind
        self.engine = engine
        self.profileDirs = profileDirs
        self.roster = roster
        self.escalationPolicies = escalationPolicies
    }

    public struct Site: Sendable, Hashable {
        public var id: String
        public var name: String
        public var timezone: String

        public init(id: String, name: String, timezone: String = "Asia/Shanghai") {
            self.id = id
            self.name = name
            self.timezone = timezone
        }
    }

    public struct MQTTBroker: Sendable, Hashable {
        public var id: String
        public var url: String
        /// Stable across restarts (the broker keeps the session); default `campusguard-<site>-<id>`.
        public var clientID: String?
        public var username: String?
        /// The password, read from this file at start (never from the config or the command line).
        public var passwordFile: String?
        /// Or from this systemd credential (`$CREDENTIALS_DIRECTORY/<name>`, `LoadCredential=`).
        public var passwordCredential: String?
        public var caFile: String?
        public var certFile: String?
        public var keyFile: String?
        public var keepAlive: Interval

        public init(
            id: String,
            url: String,
            clientID: String? = nil,
            username: String? = nil,
            passwordFile: String? = nil,
            passwordCredential: String? = nil,
            caFile: String? = nil,
            certFile: String? = nil,
            keyFile: String? = nil,
            keepAlive: Interval = .seconds(30)
        ) {
            self.id = id
            self.url = url
            self.clientID = clientID
            self.username = username
            self.passwordFile = passwordFile
            self.passwordCredential = passwordCredential
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
            self.keepAlive = keepAlive
        }
    }

    public struct ModbusBus: Sendable, Hashable {
        public var id: String
        public var url: String
        /// How often each device of the bus is read.
        public var pollInterval: Interval
        /// How long to wait for a device's answer.
        public var responseTimeout: Interval
        /// Immediate retries of a failed request before the poll counts as failed.
        public var retries: Int
        /// Pause between two requests on the bus (slow RS-485 converters need one); nil: 0 for
        /// TCP, 50 ms for RTU.
        public var requestDelay: Interval?

        public init(
            id: String,
            url: String,
            pollInterval: Interval = .seconds(5),
            responseTimeout: Interval = .seconds(1),
            retries: Int = 1,
            requestDelay: Interval? = nil
        ) {
            self.id = id
            self.url = url
            self.pollInterval = pollInterval
            self.responseTimeout = responseTimeout
            self.retries = retries
            self.requestDelay = requestDelay
        }
    }

    public struct Storage: Sendable, Hashable {
        public var path: String
        /// Readings older than this are deleted (events and deliveries are kept).
        public var keepReadings: Interval
        /// Past this many bytes in the database file, the oldest readings are deleted.
        public var maxSize: Int64
        /// The intake journal's directory; default `journal/` beside the database file.
        public var journalDirectory: String?

        public init(
            path: String = "/var/lib/campusguard/campusguard.sqlite",
            keepReadings: Interval = .seconds(30 * 86_400),
            maxSize: Int64 = 2 << 30,
            journalDirectory: String? = nil
        ) {
            self.path = path
            self.keepReadings = keepReadings
            self.maxSize = maxSize
            self.journalDirectory = journalDirectory
        }

        /// Where the intake journal lives.
        public var journalPath: String {
            if let journalDirectory { return journalDirectory }
            guard let slash = path.lastIndex(of: "/") else { return "journal" }
            return String(path[..<slash]) + "/journal"
        }
    }

    public struct API: Sendable, Hashable {
        /// `HOST:PORT` the HTTP API listens on.
        public var listen: String
        /// `NAME ROLE SHA256HEX` per line: the API tokens' hashes (`campusguard token add`).
        public var tokensFile: String
        /// The secret that signs acknowledge links (hex or raw), read at start; nil: no links.
        public var ackLinkKeyFile: String?
        /// The base URL staff reach the gateway at (`http://gateway.school.lan:8080`), for links.
        public var publicURL: String?
        /// HTTPS on the listener: the server's certificate chain and private key (PEM). Both or
        /// neither; nil: plain HTTP (fine on loopback, not on a LAN).
        public var tlsCertFile: String?
        public var tlsKeyFile: String?

        public init(
            listen: String = "127.0.0.1:8080",
            tokensFile: String = "/etc/campusguard/tokens",
            ackLinkKeyFile: String? = nil,
            publicURL: String? = nil,
            tlsCertFile: String? = nil,
            tlsKeyFile: String? = nil
        ) {
            self.listen = listen
            self.tokensFile = tokensFile
            self.ackLinkKeyFile = ackLinkKeyFile
            self.publicURL = publicURL
            self.tlsCertFile = tlsCertFile
            self.tlsKeyFile = tlsKeyFile
        }

        /// The API is served over HTTPS.
        public var usesTLS: Bool { tlsCertFile != nil && tlsKeyFile != nil }
    }

    public func building(_ id: String) -> Building? { buildings.first { $0.id == id } }
}

/// One device entry of the config.
public struct DeviceConfig: Sendable, Hashable {
    public var id: String
    public var name: String?
    public var profile: String
    public var location: LocationPath
    /// MQTT: the state topic (Zigbee2MQTT) or base topic (Tasmota).
    public var topic: String?
    public var broker: String?
    /// Zigbee2MQTT: the bridge's base topic; defaults to the first segment of `topic`.
    public var bridge: String?
    public var bus: String?
    public var unit: Int?
    public var thresholds: [ChannelID: ThresholdSpec]
    /// `enabled: false` in the config: the engine ignores the device's readings and does not
    /// supervise it (a detector taken down for repair). Never false for a panic button.
    public var enabled: Bool

    public init(
        id: String,
        name: String? = nil,
        profile: String,
        location: LocationPath,
        topic: String? = nil,
        broker: String? = nil,
        bridge: String? = nil,
        bus: String? = nil,
        unit: Int? = nil,
        thresholds: [ChannelID: ThresholdSpec] = [:],
        enabled: Bool = true
    ) {
        self.id = id
        self.name = name
        self.profile = profile
        self.location = location
        self.topic = topic
        self.broker = broker
        self.bridge = bridge
        self.bus = bus
        self.unit = unit
        self.thresholds = thresholds
        self.enabled = enabled
    }
}

/// The engine's timing and grouping limits; defaults from FACTS.md, every one configurable.
public struct EngineSettings: Sendable, Hashable {
    /// A single smoke alarm not acknowledged within this becomes `fire` (alarm verification, UL 864: 60 s).
    public var smokeAcknowledgeWithin: Interval
    /// An acknowledged single smoke alarm not resolved within this after the acknowledgement becomes
    /// `fire` (NFPA 72 positive alarm sequence: 180 s); zero turns it off.
    public var smokeInvestigateWithin: Interval
    /// Signals of two devices in one room this close together are correlated (two detectors → fire).
    public var correlationWindow: Interval
    /// A device that went silent waits this long for others of its building before it is a fault alone.
    public var faultGroupingDelay: Interval
    /// At least this many devices of one building silent together are one fault of the building…
    public var buildingFaultMinimumDevices: Int
    /// …when they are also at least this share of the building's supervised devices.
    public var buildingFaultFraction: Double

    public init(
        smokeAcknowledgeWithin: Interval = .seconds(60),
        smokeInvestigateWithin: Interval = .seconds(180),
        correlationWindow: Interval = .seconds(120),
        faultGroupingDelay: Interval = .seconds(5),
        buildingFaultMinimumDevices: Int = 3,
        buildingFaultFraction: Double = 0.5
    ) {
        self.smokeAcknowledgeWithin = smokeAcknowledgeWithin
        self.smokeInvestigateWithin = smokeInvestigateWithin
        self.correlationWindow = correlationWindow
        self.faultGroupingDelay = faultGroupingDelay
        self.buildingFaultMinimumDevices = buildingFaultMinimumDevices
        self.buildingFaultFraction = buildingFaultFraction
    }
}
