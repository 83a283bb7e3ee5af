import CampusGuardCore
import Foundation

/// A notice put into words for people: a one-line title and labelled facts (where, when, how
/// bad, why, which devices, what they read), what to do, and the link to acknowledge.
///
/// The robots render it as markdown, Feishu's text message and the generic webhook's `notice`
/// as plain text.
public struct StaffMessage: Sendable, Hashable {
    public struct Fact: Sendable, Hashable {
        public var label: String
        public var value: String
    }

    /// `【演练】火警：学生宿舍A栋 3层 301室`.
    public var title: String
    public var facts: [Fact]
    public var advice: String?
    public var adviceLabel: String
    public var acknowledgeURL: String?
    public var acknowledgeLabel: String
    /// Between a label and its value: `：` in Chinese, `: ` in English.
    public var labelSeparator: String

    /// At most this many devices and readings are listed; the rest are counted.
    static let listLimit = 10

    public init(_ notice: StaffNotice, language: SiteConfig.DeliveryChannel.Language) {
        let words = NoticeVocabulary.of(language)
        let event = notice.event
        let place = Self.place(notice, language: language)
        title = (words.markers[notice.marking] ?? "") + Self.headline(event, words) + words.titleSeparator + place
        var facts: [Fact] = []
        let l = words.labels
        facts.append(Fact(label: l.place, value: place))
        facts.append(Fact(label: l.time, value: Self.localTime(event.timestamp, timeZone: notice.site.timezone)))
        facts.append(Fact(label: l.severity, value: words.severities[event.severity] ?? event.severity.rawValue))
        if let reason = event.reason, !reason.isEmpty {
            facts.append(Fact(label: l.reason, value: words.reason(reason)))
        }
        if !notice.devices.isEmpty {
            facts.append(Fact(label: l.devices, value: Self.devices(notice.devices, words)))
        }
        if !event.values.isEmpty { facts.append(Fact(label: l.values, value: Self.values(notice, words))) }
        if let by = event.by { facts.append(Fact(label: l.by, value: by)) }
        if let note = event.note, !note.isEmpty { facts.append(Fact(label: l.note, value: note)) }
        if let camera = notice.place.cameraURL { facts.append(Fact(label: l.camera, value: camera)) }
        if notice.tier > 1 {
            facts.append(Fact(label: l.tier, value: words.tier.replacing("{n}", with: String(notice.tier))))
        }
        self.facts = facts
        switch event.type {
        case .alarmRaised, .alarmUpdated, .alarmEscalated, .faultRaised: advice = words.advice[event.kind]
        case .alarmCleared where event.kind.latches: advice = words.stillOpen
        default: advice = nil
        }
        adviceLabel = l.advice
        switch event.type {
        case .alarmRaised, .alarmUpdated, .alarmEscalated, .faultRaised: acknowledgeURL = notice.acknowledgeURL
        default: acknowledgeURL = nil
        }
        acknowledgeLabel = l.acknowledge
        labelSeparator = words.labelSeparator
    }

    // MARK: - Parts

    static func headline(_ event: Event, _ words: NoticeVocabulary) -> String {
        if event.type == .alarmUpdated, let previous = event.previousKind, previous != event.kind {
            return words.kindChanged.replacing("{previous}", with: words.shortKind(previous))
                .replacing("{kind}", with: words.kind(event.kind))
        }
        return (words.headlines[event.type] ?? "{kind}").replacing("{kind}", with: words.kind(event.kind))
    }

    /// `学生宿舍A栋 3层 301室` / `Dormitory A, floor 3, room 301`; the site's name for an event
    /// of the whole site.
    public static func place(_ notice: StaffNotice, language: SiteConfig.DeliveryChannel.Language) -> String {
        let p = notice.place
        guard let building = p.buildingName ?? p.buildingID else { return notice.site.name }
        let numbered = { (s: String) in !s.isEmpty && s.allSatisfy(\.isASCII) && Int(s.drop { $0 == "B" }) != nil }
        switch language {
        case .zh:
            var parts = [building]
            if let floor = p.floor { parts.append(numbered(floor) ? floor + "层" : floor) }
            if let room = p.room { parts.append(Int(room) != nil ? room + "室" : room) }
            return parts.joined(separator: " ")
        case .en:
            var parts = [building]
            if let floor = p.floor { parts.append(numbered(floor) ? "floor " + floor : floor) }
            if let room = p.room { parts.append(Int(room) != nil ? "room " + room : room) }
            return parts.joined(separator: ", ")
        }
    }

    /// `2026-11-21 06:00:05` in the site's time zone (`site.timezone`); UTC if it is unknown.
    public static func localTime(_ instant: Instant, timeZone: String) -> String {
        let date = Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000)
        let offset = TimeZone(identifier: timeZone)?.secondsFromGMT(for: date) ?? 0
        let shifted = Instant(millisecondsSinceEpoch: instant.millisecondsSinceEpoch + Int64(offset) * 1000)
        return String(RFC3339.format(shifted).prefix(19)).replacing("T", with: " ")
    }

    static func devices(_ devices: [NoticeDevice], _ words: NoticeVocabulary) -> String {
        var text = devices.prefix(listLimit).map { d in
            guard let name = d.name, name != d.id else { return d.id }
            return "\(name) (\(d.id))"
        }
        .joined(separator: words.listSeparator)
        if devices.count > listLimit { text += words.moreDevices.replacing("{n}", with: String(devices.count)) }
        return text
    }

    static func values(_ notice: StaffNotice, _ words: NoticeVocabulary) -> String {
        let several = Set(notice.event.values.map(\.device)).count > 1
        let names = Dictionary(notice.devices.map { ($0.id, $0.name ?? $0.id) }, uniquingKeysWith: { a, _ in a })
        var text = notice.event.values.prefix(listLimit).map { v in
            let reading =
                words.channel(v.channel) + words.labelSeparator + words.value(v.value, channel: v.channel.kind)
            return several ? (names[v.device] ?? v.device) + " " + reading : reading
        }
        .joined(separator: words.listSeparator)
        if notice.event.values.count > listLimit {
            text += words.moreDevices.replacing("{n}", with: String(notice.event.values.count))
        }
        return text
    }
}
