import CampusGuardCore
import CampusGuardStore
import Foundation
import Hummingbird
import Logging

extension APIServer {
    private struct InspectionBody: Decodable {
        var result: String
        var note: String?
        var evidence: String?
        var ticket: Bool?
    }

    /// Inspection records (docs/tickets.md): record a device's test, list a device's, list by time.
    func addInspectionRoutes(to router: Router<BasicRequestContext>) {
        router.post("api/v1/devices/:id/inspections") { request, context in
            let token = try self.authorize(request, .inspect)
            let device = try self.deviceForInspection(context.parameters.require("id"))
            let body = try await self.decode(InspectionBody.self, from: request)
            guard let result = InspectionRecord.Result(rawValue: body.result) else {
                throw ServerError.badBody("\"result\" is pass or fail, not \(body.result)")
            }
            var ticket: NewTicket? = nil
            if body.ticket == true {
                guard result == .fail else {
                    throw ServerError.badBody("\"ticket\": a ticket is opened for a failed inspection only")
                }
                ticket = NewTicket(
                    title: "巡检未通过 Inspection failed: \(device.name ?? device.id)",
                    building: device.location.building,
                    location: device.location.description,
                    device: device.id,
                    note: body.note,
                    by: token.name
                )
            }
            let new = NewInspection(
                device: device.id,
                result: result,
                by: token.name,
                note: body.note,
                evidence: body.evidence,
                ticket: ticket
            )
            let now = self.clock()
            let record = try await self.intoStore { store throws(StoreError) in
                try await store.recordInspection(new, at: now, year: self.siteYear(now))
            }
            self.logger.info(
                "inspection recorded",
                metadata: [
                    "device.id": "\(device.id)", "result": "\(result.rawValue)", "api.token": "\(token.name)",
                    "evidence": "\(record.evidence?.alarm ?? "-")", "ticket": "\(record.ticket ?? "-")",
                ]
            )
            return Response.json(#"{"inspection":"# + record.apiJSON + "}", status: .created)
        }
        router.get("api/v1/devices/:id/inspections") { request, context in
            _ = try self.authorize(request, .read)
            let device = try self.deviceForInspection(context.parameters.require("id"))
            let limit = try Self.limit(request.uri.queryParameters["limit"].map(String.init))
            let records = try await self.fromStore { store throws(StoreError) in
                try store.inspections(device: device.id, limit: limit)
            }
            var w = JSONObjectWriter()
            w.string("device", device.id)
            w.raw("inspections", "[" + records.map(\.apiJSON).joined(separator: ",") + "]")
            return Response.json(w.finish())
        }
        router.get("api/v1/inspections") { request, _ in
            _ = try self.authorize(request, .read)
            let query = request.uri.queryParameters
            let until = try Self.queryInstant(query["until"].map(String.init), "until")
            let since =
                try Self.queryInstant(query["since"].map(String.init), "since") ?? (until ?? self.clock())
                - .hours(24 * 30)
            let records = try await self.fromStore { store throws(StoreError) in
                try store.inspections(since: since, until: until)
            }
            return Response.json(#"{"inspections":["# + records.map(\.apiJSON).joined(separator: ",") + "]}")
        }
    }

    /// The device `id` of the site's config, or 404 `unknown_device`.
    func deviceForInspection(_ id: String) throws(ServerError) -> DeviceConfig {
        guard let device = site.devices.first(where: { $0.id == id }) else { throw .unknownInspectedDevice(id) }
        return device
    }

    /// `limit`: 1 to 1000, default 100.
    private static func limit(_ text: String?) throws(ServerError) -> Int {
        guard let text else { return 100 }
        guard let n = Int(text), (1...1000).contains(n) else {
            throw .badTicketQuery("\"limit\" is a number from 1 to 1000")
        }
        return n
    }
}
