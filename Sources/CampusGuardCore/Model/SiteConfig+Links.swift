/// The gateway's links outward: staff channels, the police link and the city platform's uplink.
extension SiteConfig {
    public struct DeliveryChannel: Sendable, Hashable {
        public enum ChannelType: String, Sendable, Hashable, CaseIterable {
            case webhook, dingtalk, wecom, feishu
        }

        /// The language of the messages people read.
        public enum Language: String, Sendable, Hashable, CaseIterable {
            case zh, en
        }

        /// Feishu's message type: a card with a coloured header, or plain text.
        public enum FeishuMessageType: String, Sendable, Hashable, CaseIterable {
            case interactive, text
        }

        public var id: String
        public var type: ChannelType
        public var url: String
        /// The signing secret, read from this file at start (never from the config).
        public var secretFile: String?
        /// Or from this systemd credential (`$CREDENTIALS_DIRECTORY/<name>`, `LoadCredential=`).
        public var secretCredential: String?
        public var language: Language
        /// How long one delivery may take, from connecting to the answer's last byte.
        public var timeout: Interval
        /// Feishu only.
        public var feishuMessageType: FeishuMessageType

        public init(
            id: String,
            type: ChannelType,
            url: String,
            secretFile: String? = nil,
            secretCredential: String? = nil,
            language: Language = .zh,
            timeout: Interval = .seconds(5),
            feishuMessageType: FeishuMessageType = .interactive
        ) {
            self.id = id
            self.type = type
            self.url = url
            self.secretFile = secretFile
            self.secretCredential = secretCredential
            self.language = language
            self.timeout = timeout
            self.feishuMessageType = feishuMessageType
        }
    }

    /// The alarm link to the police / alarm receiving centre (SIA DC-09 with Contact ID); see docs/police-link.md.
    public struct PoliceLink: Sendable, Hashable {
        public var host: String
        public var port: Int
        public var account: String
        public var receiver: String
        public var prefix: String
        /// A second receiving centre (or a second path to the same one), tried when the first fails.
        public var backup: Endpoint?
        /// The AES key as hexadecimal, read from this file at start; nil: messages are not encrypted.
        public var keyFile: String?
        /// How long to wait for a receiver's answer to one message (and for a connection).
        public var ackTimeout: Interval
        /// A NULL message (link test) goes to each receiver idle this long; zero turns it off.
        public var supervisionInterval: Interval
        /// Rounds of attempts after the first failed one (each round: the receiver that answered
        /// last, then the other), with backoff between rounds.
        public var retries: Int
        /// `contact_id_group` of locations that set one, by building id.
        public var contactIDGroups: [String: Int]
        /// `contact_id_zone` of devices that set one, by device id.
        public var contactIDZones: [String: Int]

        public struct Endpoint: Sendable, Hashable {
            public var host: String
            public var port: Int

            public init(host: String, port: Int) {
                self.host = host
                self.port = port
            }
        }

        public init(
            host: String,
            port: Int,
            account: String,
            receiver: String = "R0",
            prefix: String = "L0",
            backup: Endpoint? = nil,
            keyFile: String? = nil,
            ackTimeout: Interval = .seconds(2),
            supervisionInterval: Interval = .seconds(60),
            retries: Int = 2,
            contactIDGroups: [String: Int] = [:],
            contactIDZones: [String: Int] = [:]
        ) {
            self.host = host
            self.port = port
            self.account = account
            self.receiver = receiver
            self.prefix = prefix
            self.backup = backup
            self.keyFile = keyFile
            self.ackTimeout = ackTimeout
            self.supervisionInterval = supervisionInterval
            self.retries = retries
            self.contactIDGroups = contactIDGroups
            self.contactIDZones = contactIDZones
        }

        /// The Contact ID group (GG) of each building: its `contact_id_group`, else its 1-based
        /// position in `locations`. Config validation rejects duplicates and values outside 1–99.
        public static func contactIDGroups(buildings: [Building], overrides: [String: Int]) -> [String: Int] {
            var out: [String: Int] = [:]
            for (i, b) in buildings.enumerated() { out[b.id] = overrides[b.id] ?? i + 1 }
            return out
        }

        /// The Contact ID zone (ZZZ) of each device: its `contact_id_zone`, else its 1-based
        /// position among its building's devices in config order. Config validation rejects
        /// duplicates within a building and values outside 1–999.
        public static func contactIDZones(devices: [DeviceConfig], overrides: [String: Int]) -> [String: Int] {
            var out: [String: Int] = [:]
            var counts: [String: Int] = [:]
            for d in devices {
                let position = (counts[d.location.building] ?? 0) + 1
                counts[d.location.building] = position
                out[d.id] = overrides[d.id] ?? position
            }
            return out
        }
    }

    /// The city / education-bureau platform: readings and events published upstream over MQTT.
    public struct Uplink: Sendable, Hashable {
        public var url: String
        /// Topics are `<prefix>/events` and `<prefix>/readings`.
        public var topicPrefix: String
        /// Client id, credentials, TLS and keepalive, as for a source broker.
        public var connection: MQTTBroker
        /// Readings per second sent from a backlog after an outage (events always go first).
        public var backlogRate: Int
        /// Readings per uplink message.
        public var readingsPerMessage: Int

        public init(
            url: String,
            topicPrefix: String,
            connection: MQTTBroker? = nil,
            backlogRate: Int = 2_000,
            readingsPerMessage: Int = 100
        ) {
            self.url = url
            self.topicPrefix = topicPrefix
            self.connection = connection ?? MQTTBroker(id: "uplink", url: url)
            self.backlogRate = backlogRate
            self.readingsPerMessage = readingsPerMessage
        }
    }
}
