import CampusGuardCore
import Hummingbird

extension APIServer {
    func addDeviceRoutes(to router: Router<BasicRequestContext>) {
        router.get("api/v1/devices") { request, _ in
            _ = try self.authorize(request, .read)
            let building = Self.query(request, "building")
            let kind = try Self.query(request, "kind").map { text throws(ServerError) in
                guard let kind = DeviceKind(rawValue: text) else {
                    throw .badQuery(
                        "kind=\(text) is not one of \(DeviceKind.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                return kind
            }
            let status = try Self.query(request, "status").map { text throws(ServerError) in
                guard let status = DeviceStatus(rawValue: text) else {
                    throw .badQuery(
                        "status=\(text) is not one of \(DeviceStatus.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                return status
            }
            if let building, self.site.building(building) == nil {
                throw ServerError.badQuery("building=\(building) is not a configured location")
            }
            let board = self.board()
            let views = self.site.devices.map { self.view($0, board: board) }.filter { v in
                (building == nil || v.device.location.building == building)
                    && (kind == nil || v.kind == kind) && (status == nil || v.status == status)
            }
            return Response.json(#"{"devices":["# + views.map(\.json).joined(separator: ",") + "]}")
        }
        router.get("api/v1/devices/:id") { request, context in
            _ = try self.authorize(request, .read)
            let id = try context.parameters.require("id")
            guard let device = self.site.devices.first(where: { $0.id == id }) else {
                throw ServerError.unknownDevice(id)
            }
            return Response.json(#"{"device":"# + self.view(device, board: self.board()).json + "}")
        }
    }

    /// A configured device with what the board and the config say of it.
    func view(_ device: DeviceConfig, board: EngineBoard) -> DeviceView {
        let profile = profiles[device.profile]
        let snapshot = board.device(device.id)
        return DeviceView(
            device: device,
            profile: profile,
            kind: profile.map(DeviceKind.init(profile:)) ?? .other,
            building: site.building(device.location.building),
            snapshot: snapshot,
            status: snapshot?.status ?? (device.enabled ? .ok : .disabled),
            alarms: (snapshot?.openAlarms ?? []).compactMap { id in board.openAlarms.first { $0.id == id } },
            contactID: contactID.entry(device: device.id)
        )
    }
}
