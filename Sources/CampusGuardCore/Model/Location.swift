/// What a building or area is used for; thresholds can be overridden per kind.
public enum LocationKind: String, CaseIterable, Sendable, Hashable {
    case dormitory, canteen, kitchen, library, gym, laboratory, classroom, storage
    case hazmatStore = "hazmat_store"
    case powerRoom = "power_room"
    case gasRoom = "gas_room"
    case office, gate, other
}

/// A building or area of the site: the first part of every device location.
public struct Building: Hashable, Sendable {
    public var id: String
    public var name: String
    public var kind: LocationKind
    public var cameraURL: String?

    public init(id: String, name: String, kind: LocationKind, cameraURL: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.cameraURL = cameraURL
    }
}

/// `BUILDING/FLOOR/ROOM`: where a device is. Floor and room are free text (`3`, `B1`, `301`, `power`).
public struct LocationPath: Hashable, Sendable, CustomStringConvertible {
    public var building: String
    public var floor: String
    public var room: String

    public init(building: String, floor: String, room: String) {
        self.building = building
        self.floor = floor
        self.room = room
    }

    /// Parses `dorm-a/3/301`; nil unless it has exactly three non-empty parts.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
            return nil
        }
        self.init(building: String(parts[0]), floor: String(parts[1]), room: String(parts[2]))
    }

    public var description: String { "\(building)/\(floor)/\(room)" }
}
