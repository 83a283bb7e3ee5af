import CampusGuardCore
import Foundation

/// The generic webhook's `notice` object: the delivery and the names behind the event's ids,
/// with the message in words. Keys in alphabetical order; absent values are left out.
struct NoticeDocument: Encodable {
    struct Site: Encodable {
        var id, name, timezone: String
    }
    struct Building: Encodable {
        var id, name: String
    }
    struct Device: Encodable {
        var id: String
        var name: String?
    }

    var delivery: String
    var tier: Int
    var marking: String
    var site: Site
    var building: Building?
    var floor: String?
    var room: String?
    var place: String
    var localTime: String
    var devices: [Device]
    var cameraURL: String?
    var acknowledgeURL: String?
    var language: String
    var title: String
    var text: String

    enum CodingKeys: String, CodingKey {
        case delivery, tier, marking, site, building, floor, room, place
        case localTime = "local_time"
        case devices
        case cameraURL = "camera_url"
        case acknowledgeURL = "acknowledge_url"
        case language, title, text
    }

    init(_ notice: StaffNotice, language: SiteConfig.DeliveryChannel.Language) {
        let message = StaffMessage(notice, language: language)
        delivery = notice.deliveryID
        tier = notice.tier
        marking = notice.marking.rawValue
        site = Site(id: notice.site.id, name: notice.site.name, timezone: notice.site.timezone)
        if let id = notice.place.buildingID { building = Building(id: id, name: notice.place.buildingName ?? id) }
        floor = notice.place.floor
        room = notice.place.room
        place = StaffMessage.place(notice, language: language)
        localTime = StaffMessage.localTime(notice.event.timestamp, timeZone: notice.site.timezone)
        devices = notice.devices.map { Device(id: $0.id, name: $0.name) }
        cameraURL = notice.place.cameraURL
        acknowledgeURL = notice.acknowledgeURL
        self.language = language.rawValue
        title = message.title
        text = message.plainText
    }
}

enum CompactJSON {
    /// Sorted keys, `/` unescaped, UTF-8 as it is: the same value always gives the same bytes.
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Only strings, numbers and optionals of them: encoding cannot fail.
        return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
    }
}
