import CampusGuardCore
import CampusGuardStore
import Hummingbird
import Logging

extension APIServer {
    /// The longest maintenance one request may ask for: a week of work on a device.
    static let longestMaintenance = Interval.seconds(7 * 86_400)

    private struct MaintenanceBody: Decodable {
        var until: String?
        var minutes: Int?
    }

    func addMaintenanceRoutes(to router: Router<BasicRequestContext>) {
        router.post("api/v1/devices/:id/maintenance") { request, context in
            let token = try self.authorize(request, .maintain)
            let id = try context.parameters.require("id")
            guard self.site.devices.contains(where: { $0.id == id }) else { throw ServerError.unknownDevice(id) }
            let body = try await self.decode(MaintenanceBody.self, from: request)
            let until = try self.maintenanceEnd(body)
            _ = try await self.perform(.startMaintenance(device: id, until: until), token: token)
            await self.recordMaintenance(id, until: until, by: token.name)
            return Response.json(Self.maintenanceAnswer(id, until: until))
        }
        router.delete("api/v1/devices/:id/maintenance") { request, context in
            let token = try self.authorize(request, .maintain)
            let id = try context.parameters.require("id")
            guard self.site.devices.contains(where: { $0.id == id }) else { throw ServerError.unknownDevice(id) }
            _ = try await self.perform(.endMaintenance(device: id), token: token)
            await self.recordMaintenance(id, until: nil, by: token.name)
            return Response.json(Self.maintenanceAnswer(id, until: nil))
        }
    }

    /// `until` (RFC 3339, in the future) or `minutes` (from now), one of them, at most a week ahead.
    private func maintenanceEnd(_ body: MaintenanceBody) throws(ServerError) -> Instant {
        let now = clock()
        let until: Instant
        switch (body.until, body.minutes) {
        case (let text?, nil):
            guard let instant = RFC3339.parse(text) else {
                throw .badBody("\"until\" must be an RFC 3339 time such as 2026-11-20T18:00:00+08:00")
            }
            guard instant > now else { throw .badBody("\"until\" is not in the future") }
            until = instant
        case (nil, let minutes?):
            guard minutes >= 1 else { throw .badBody("\"minutes\" must be at least 1") }
            until = now + .minutes(Int64(min(minutes, 7 * 24 * 60 + 1)))
        default:
            throw .badBody("give \"until\" (RFC 3339) or \"minutes\", one of them")
        }
        guard until - now <= Self.longestMaintenance else {
            throw .badBody("maintenance may last at most 7 days (10080 minutes); ask again when it ends")
        }
        return until
    }

    /// Keeps the maintenance in the store, so that a restart does not end it; a failed write
    /// is logged (the engine has it all the same, until the daemon stops).
    private func recordMaintenance(_ device: String, until: Instant?, by: String) async {
        guard let store else { return }
        do {
            if let until {
                try await store.recordMaintenance(device: device, until: until, by: by)
            } else {
                try await store.recordMaintenanceEnd(device: device)
            }
        } catch {
            logger.error(
                "maintenance changed but not stored: a restart will not keep it",
                metadata: ["device.id": "\(device)", "error": "\(error)"]
            )
        }
    }

    private static func maintenanceAnswer(_ id: String, until: Instant?) -> String {
        var w = JSONObjectWriter()
        w.string("device", id)
        w.raw("maintenance_until", DeviceView.time(until))
        return w.finish()
    }
}
