import CampusGuardCore

/// One receiving centre the link sends to.
public struct PoliceLinkReceiver: Sendable, Hashable, CustomStringConvertible {
    public enum Role: String, Sendable, Hashable, CaseIterable {
        case primary, backup
    }

    public var role: Role
    public var host: String
    public var port: Int

    public init(role: Role, host: String, port: Int) {
        self.role = role
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// How the police link behaves: receivers, identity, key, timing. From `police_link` in the config.
public struct PoliceLinkOptions: Sendable {
    public var primary: PoliceLinkReceiver
    public var backup: PoliceLinkReceiver?
    /// 3–16 hex digits, given by the receiving centre.
    public var account: String
    /// `R` and 1–6 hex digits.
    public var receiverNumber: String
    /// `L` and 1–6 hex digits.
    public var linePrefix: String
    /// Nil: messages go in clear.
    public var key: DC09Key?
    /// How long to wait for an answer to one message, and for a connection.
    public var ackTimeout: Duration
    /// A NULL message goes to each receiver idle this long; nil: no supervision.
    public var supervisionInterval: Duration?
    /// Rounds of attempts after the first failed one.
    public var retries: Int
    /// The pause before the second round; it doubles each round up to `backoffMax`.
    public var backoff: Duration
    public var backoffMax: Duration
    /// How many times one message is sent again, with a corrected timestamp, after NAKs from
    /// one receiver before that receiver counts as failed.
    public var nakResends: Int

    public init(
        primary: PoliceLinkReceiver,
        backup: PoliceLinkReceiver? = nil,
        account: String,
        receiverNumber: String = "R0",
        linePrefix: String = "L0",
        key: DC09Key? = nil,
        ackTimeout: Duration = .seconds(2),
        supervisionInterval: Duration? = .seconds(60),
        retries: Int = 2,
        backoff: Duration = .milliseconds(500),
        backoffMax: Duration = .seconds(5),
        nakResends: Int = 2
    ) {
        self.primary = primary
        self.backup = backup
        self.account = account.uppercased()
        self.receiverNumber = receiverNumber
        self.linePrefix = linePrefix
        self.key = key
        self.ackTimeout = ackTimeout
        self.supervisionInterval = supervisionInterval
        self.retries = retries
        self.backoff = backoff
        self.backoffMax = backoffMax
        self.nakResends = nakResends
    }

    /// From the config; reads the key file now (its content is never logged).
    public init(config: SiteConfig.PoliceLink) throws(PoliceLinkError) {
        self.init(
            primary: PoliceLinkReceiver(role: .primary, host: config.host, port: config.port),
            backup: config.backup.map { PoliceLinkReceiver(role: .backup, host: $0.host, port: $0.port) },
            account: config.account,
            receiverNumber: config.receiver,
            linePrefix: config.prefix,
            key: try config.keyFile.map { (file: String) throws(PoliceLinkError) in try DC09Key(file: file) },
            ackTimeout: .milliseconds(config.ackTimeout.milliseconds),
            supervisionInterval: config.supervisionInterval.milliseconds > 0
                ? .milliseconds(config.supervisionInterval.milliseconds) : nil,
            retries: config.retries
        )
    }

    /// The receivers in order of preference.
    public var receivers: [PoliceLinkReceiver] { [primary] + (backup.map { [$0] } ?? []) }

    /// The pause after failed round `round` (0-based): `backoff`, doubling, at most `backoffMax`.
    func pause(afterRound round: Int) -> Duration { min(backoff * (1 << min(round, 16)), backoffMax) }
}

/// A receiver's state, as the link reports it when it changes.
public struct PoliceLinkStatus: Sendable, Hashable {
    public var receiver: PoliceLinkReceiver
    /// It acknowledged the last message or link test.
    public var isUp: Bool
    /// Why it is down: `connection refused`, `no answer within 2s`, `NAK`, …; nil when up.
    public var reason: String?

    public init(receiver: PoliceLinkReceiver, isUp: Bool, reason: String?) {
        self.receiver = receiver
        self.isUp = isUp
        self.reason = reason
    }
}

/// How a message was delivered.
public struct DC09Outcome: Sendable, Hashable {
    /// The receiver that acknowledged it.
    public var receiver: PoliceLinkReceiver
    public var sequence: Int
    /// Tries: each receiver tried in each round (a refused connection too), and each resend
    /// after a NAK.
    public var attempts: Int
    /// NAKs received on the way.
    public var naks: Int
    /// From `send` being called to the ACK: queueing, retries and failover included.
    public var latency: Duration
    /// From the acknowledged frame's last byte written to its ACK.
    public var ackLatency: Duration
}
