import Foundation

/// A hazard ticket to open: by hand (title, building, where) or from an alarm or fault in
/// the store, whose device, location and kind it takes.
public struct NewTicket: Sendable, Hashable {
    public var title: String
    /// Required unless `fault` is given (the fault's location says it).
    public var building: String?
    public var location: String?
    public var device: String?
    /// An alarm or fault id from the store's events; its first event gives the ticket's
    /// building, location, device (when it names one) and kind. Leave the others out then.
    public var fault: String?
    /// The note and photos of the `found` step.
    public var note: String?
    public var photos: [String]
    /// Who opened it: the API token's name.
    public var by: String

    public init(
        title: String,
        building: String? = nil,
        location: String? = nil,
        device: String? = nil,
        fault: String? = nil,
        note: String? = nil,
        photos: [String] = [],
        by: String
    ) {
        self.title = title
        self.building = building
        self.location = location
        self.device = device
        self.fault = fault
        self.note = note
        self.photos = photos
        self.by = by
    }
}

/// A step to add to a hazard ticket.
public struct NewTicketStep: Sendable, Hashable {
    /// At most this many photo URLs per step.
    public static let maxPhotos = 5
    /// Notes are at most this many characters.
    public static let maxNote = 2000

    public var kind: TicketStepKind
    /// Who takes the step: the API token's name.
    public var by: String
    public var note: String?
    public var photos: [String]
    /// Required for `assigned`; optional for `reopened` (default: the assignee so far); not
    /// allowed with other steps.
    public var assignee: String?

    public init(kind: TicketStepKind, by: String, note: String? = nil, photos: [String] = [], assignee: String? = nil) {
        self.kind = kind
        self.by = by
        self.note = note
        self.photos = photos
        self.assignee = assignee
    }

    /// The step with its text trimmed, or a refusal naming the field that is not valid.
    func checked() throws(StoreError) -> NewTicketStep {
        var s = self
        s.by = try Self.line(by, field: "by", max: 64) ?? ""
        guard !s.by.isEmpty else { throw .invalid("by", "\"by\" is required") }
        s.note = try Self.text(note, field: "note", max: Self.maxNote)
        s.photos = try Self.photoURLs(photos)
        s.assignee = try Self.line(assignee, field: "assignee", max: 64)
        switch kind {
        case .assigned where s.assignee == nil:
            throw .invalid("assignee", "\"assignee\" is required with step assigned: who is to put it right")
        case .assigned, .reopened: break
        default:
            if s.assignee != nil {
                throw .invalid("assignee", "\"assignee\" goes with step assigned or reopened only")
            }
        }
        return s
    }

    /// Photo URLs as given, each an absolute http:// or https:// URL with a host, at most
    /// `maxPhotos` of them and 2,048 characters each.
    static func photoURLs(_ photos: [String]) throws(StoreError) -> [String] {
        guard photos.count <= maxPhotos else {
            throw .invalid("photos", "\"photos\": at most \(maxPhotos) per step (\(photos.count) given)")
        }
        for photo in photos {
            let ok =
                photo.count <= 2048 && !photo.contains(where: { $0.isWhitespace || $0.isNewline })
                && URL(string: photo).map { url in
                    ["http", "https"].contains(url.scheme?.lowercased() ?? "") && !(url.host ?? "").isEmpty
                } ?? false
            guard ok else {
                let shown = photo.count > 80 ? String(photo.prefix(80)) + "…" : photo
                throw .invalid("photos", "\"photos\": \"\(shown)\" is not an http:// or https:// URL")
            }
        }
        return photos
    }

    /// One line of at most `max` characters, trimmed; nil when empty.
    static func line(_ text: String?, field: String, max: Int) throws(StoreError) -> String? {
        guard let t = text?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        guard t.count <= max, !t.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) })
        else { throw .invalid(field, "\"\(field)\" must be one line of at most \(max) characters") }
        return t
    }

    /// Free text of at most `max` characters, trimmed; nil when empty.
    static func text(_ text: String?, field: String, max: Int) throws(StoreError) -> String? {
        guard let t = text?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        guard t.count <= max else { throw .invalid(field, "\"\(field)\" is longer than \(max) characters") }
        return t
    }
}
