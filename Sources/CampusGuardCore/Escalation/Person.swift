/// Someone alarms can be delivered to: a member of staff on the duty roster.
public struct Person: Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    /// For channels that mention people by phone (DingTalk, WeCom) and for the duty list.
    public var phone: String?
    /// Channels (ids under `channels`) this person is reached on in addition to a tier's own.
    public var channels: [String]

    public init(id: String, name: String, phone: String? = nil, channels: [String] = []) {
        self.id = id
        self.name = name
        self.phone = phone
        self.channels = channels
    }
}

/// A duty role of the roster: `duty_officer`, `night_warden`, `security`, `principal`, …
public struct DutyRole: Sendable, Hashable, Identifiable {
    public var id: String
    /// What people call it (值班领导, 宿管); the id when not given.
    public var name: String

    public init(id: String, name: String? = nil) {
        self.id = id
        self.name = name ?? id
    }
}
