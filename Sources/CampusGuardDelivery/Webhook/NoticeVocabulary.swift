import CampusGuardCore

/// The words of staff messages in one language: alarm kinds, severities, reasons, channels and
/// labels, in plain words for school staff rather than the event format's machine words.
struct NoticeVocabulary: Sendable {
    let kinds: [AlarmKind: String]
    /// Shorter words where the kind's own would not fit inside a headline: `{previous}`.
    let shortKinds: [AlarmKind: String]
    let severities: [Severity: String]
    /// The event format's `reason` words; one missing here is shown as it is.
    let reasons: [String: String]
    let channels: [ChannelKind: String]
    /// What to do, for a new or worse alarm of the kind.
    let advice: [AlarmKind: String]
    let markers: [NoticeMarking: String]
    /// The headline of each event type, `{kind}` standing for the kind's word.
    let headlines: [EventType: String]
    /// The headline of an `alarm.updated` that changed the kind: `{previous}`, `{kind}`.
    let kindChanged: String
    /// The advice of an `alarm.cleared` of a kind that stays open until a person resolves it.
    let stillOpen: String
    let labels: Labels
    /// Bool readings: the word for true and for false, per channel kind, with a default.
    let states: [ChannelKind: (on: String, off: String)]
    let defaultState: (on: String, off: String)
    /// `{n}`: how many devices in all, after the first ones listed.
    let moreDevices: String
    let tier: String
    /// Separators: between the title's headline and place, between list items, after a label.
    let titleSeparator: String
    let listSeparator: String
    let labelSeparator: String

    struct Labels: Sendable {
        let place, time, severity, reason, devices, values, camera, by, note, tier, advice, acknowledge: String
    }

    static func of(_ language: SiteConfig.DeliveryChannel.Language) -> NoticeVocabulary {
        switch language {
        case .zh: .chinese
        case .en: .english
        }
    }

    func kind(_ k: AlarmKind) -> String { kinds[k] ?? k.rawValue }

    func shortKind(_ k: AlarmKind) -> String { shortKinds[k] ?? kind(k) }

    func reason(_ r: String) -> String { reasons[r] ?? r }

    func channel(_ c: ChannelID) -> String {
        let word = channels[c.kind] ?? c.kind.rawValue
        guard let index = c.index else { return word }
        return word + " " + String(index)
    }

    func value(_ v: ReadingValue, channel: ChannelKind) -> String {
        switch v {
        case .number(let n):
            let unit = channel.unit
            return Self.number(n) + (unit.isEmpty ? "" : " " + unit)
        case .bool(let b):
            let words = states[channel] ?? defaultState
            return b ? words.on : words.off
        case .event(let e):
            return e
        }
    }

    /// At most one decimal place, none for whole numbers: `62.5`, `520`.
    static func number(_ n: Double) -> String {
        guard n.isFinite else { return "—" }
        let tenths = (n * 10).rounded()
        if tenths.truncatingRemainder(dividingBy: 10) == 0 { return String(Int64(tenths / 10)) }
        return String(Double(tenths) / 10)
    }
}
