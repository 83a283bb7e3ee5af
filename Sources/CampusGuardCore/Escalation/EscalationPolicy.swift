/// How the alarms a policy matches are delivered: tiers of people and channels, one after the
/// other while nobody acknowledges, and whether they go to the police link.
public struct EscalationPolicy: Sendable, Hashable, Identifiable {
    public var id: String
    public var match: Match
    /// Tier 1 first; each later tier starts `after` the one before it unless someone acknowledged.
    public var tiers: [EscalationTier]
    /// Whether the police matters among the matched alarms (confirmed fire, panic, high gas; never
    /// a test) go to the police link, when one is configured.
    public var police: Bool
    /// An acknowledged alarm whose condition still holds reminds tier 1 this often; nil: never.
    public var reacknowledgeAfter: Interval?

    public init(
        id: String,
        match: Match = Match(),
        tiers: [EscalationTier],
        police: Bool = true,
        reacknowledgeAfter: Interval? = nil
    ) {
        self.id = id
        self.match = match
        self.tiers = tiers
        self.police = police
        self.reacknowledgeAfter = reacknowledgeAfter
    }

    /// Which alarms a policy is for; every condition given must hold.
    public struct Match: Sendable, Hashable {
        /// Nil: every kind.
        public var kinds: [AlarmKind]?
        public var minimumSeverity: Severity
        /// Location ids; nil: everywhere (also alarms of the whole site).
        public var buildings: [String]?
        /// true: only tests (self-test, maintenance, drill); false: only real alarms; nil: both.
        public var test: Bool?

        public init(
            kinds: [AlarmKind]? = nil,
            minimumSeverity: Severity = .minor,
            buildings: [String]? = nil,
            test: Bool? = nil
        ) {
            self.kinds = kinds
            self.minimumSeverity = minimumSeverity
            self.buildings = buildings
            self.test = test
        }

        public func matches(kind: AlarmKind, severity: Severity, building: String?, test: Bool) -> Bool {
            if let kinds, !kinds.contains(kind) { return false }
            if severity < minimumSeverity { return false }
            if let buildings, !(building.map(buildings.contains) ?? false) { return false }
            if let t = self.test, t != test { return false }
            return true
        }
    }

    /// The policy of a site without `escalation.policies`, and of alarms no policy matches:
    /// everyone on duty, on every channel, at once; police matters to the police link.
    public static let `default` = EscalationPolicy(
        id: "default",
        tiers: [EscalationTier(recipients: [.everyoneOnDuty])]
    )

    /// The first of `policies` that matches, else the default policy.
    public static func select(
        from policies: [EscalationPolicy],
        kind: AlarmKind,
        severity: Severity,
        building: String?,
        test: Bool
    ) -> EscalationPolicy {
        policies.first { $0.match.matches(kind: kind, severity: severity, building: building, test: test) }
            ?? .default
    }

    /// Confirmed fire, panic and high gas (a critical gas leak) are for the police; smoke waits
    /// for staff to verify it, everything else is for staff alone.
    public static func isPoliceMatter(kind: AlarmKind, severity: Severity) -> Bool {
        switch kind {
        case .fire, .panic: true
        case .gasLeak: severity == .critical
        default: false
        }
    }
}

/// One step of a policy: who is notified, where, when, and how often again.
public struct EscalationTier: Sendable, Hashable {
    public var recipients: [Recipient]
    /// Channel ids; nil: every configured channel. People's own channels are added.
    public var channels: [String]?
    /// From the start of the previous tier (tier 1: from the alarm); usually zero for tier 1.
    public var after: Interval
    /// Notifies the tier again this often until someone acknowledges…
    public var repeatEvery: Interval?
    /// …at most this many times after the first.
    public var repeatTimes: Int

    public init(
        recipients: [Recipient],
        channels: [String]? = nil,
        after: Interval = .zero,
        repeatEvery: Interval? = nil,
        repeatTimes: Int = 0
    ) {
        self.recipients = recipients
        self.channels = channels
        self.after = after
        self.repeatEvery = repeatEvery
        self.repeatTimes = repeatTimes
    }

    /// Someone a tier notifies, resolved from the roster when the tier fires.
    public enum Recipient: Sendable, Hashable, CustomStringConvertible {
        /// Whoever holds the role then, for the alarm's building.
        case role(String)
        case person(String)
        /// Everyone on duty then, for the alarm's building.
        case everyoneOnDuty

        public var description: String {
            switch self {
            case .role(let r): "role \(r)"
            case .person(let p): "person \(p)"
            case .everyoneOnDuty: "everyone on duty"
            }
        }
    }
}
