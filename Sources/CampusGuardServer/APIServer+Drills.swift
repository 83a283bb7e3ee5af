import CampusGuardCore
import Foundation
import Hummingbird
import Logging

extension APIServer {
    private struct DrillBody: Decodable {
        var name: String
        var buildings: [String]?
        var includePanic: Bool?

        enum CodingKeys: String, CodingKey {
            case name, buildings
            case includePanic = "include_panic"
        }
    }

    func addDrillRoutes(to router: Router<BasicRequestContext>) {
        router.post("api/v1/drills") { request, _ in
            let token = try self.authorize(request, .administer)
            let body = try await self.decode(DrillBody.self, from: request)
            let drill = try self.drill(body)
            let events = try await self.perform(.startDrill(drill), token: token)
            let id = await self.recordDrillStart(drill, by: token.name)
            var w = JSONObjectWriter()
            w.raw("drill", Self.json(drill, id: id))
            w.raw("events", "[" + events.map(\.jsonLine).joined(separator: ",") + "]")
            return Response.json(w.finish(), status: .created)
        }
        router.delete("api/v1/drills/current") { request, _ in
            let token = try self.authorize(request, .administer)
            let events = try await self.perform(.stopDrill, token: token)
            await self.recordDrillStop(by: token.name)
            var w = JSONObjectWriter()
            w.bool("stopped", true)
            w.raw("events", "[" + events.map(\.jsonLine).joined(separator: ",") + "]")
            return Response.json(w.finish())
        }
    }

    private func drill(_ body: DrillBody) throws(ServerError) -> Drill {
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else { throw .badBody("\"name\" must be 1 to 200 characters") }
        if let buildings = body.buildings {
            guard !buildings.isEmpty else { throw .badBody("\"buildings\" is empty; leave it out for the whole site") }
            let unknown = buildings.filter { site.building($0) == nil }
            guard unknown.isEmpty else {
                throw .badBody("unknown buildings: \(unknown.joined(separator: ", "))")
            }
        }
        return Drill(
            name: name,
            buildings: body.buildings.map(Set.init),
            includesPanicButtons: body.includePanic ?? false,
            startedAt: clock()
        )
    }

    private static func json(_ drill: Drill, id: Int64?) -> String {
        var w = JSONObjectWriter()
        w.raw("id", id.map { String($0) } ?? "null")
        w.string("name", drill.name)
        w.raw(
            "buildings",
            drill.buildings.map { "[" + $0.sorted().map(JSONObjectWriter.quote).joined(separator: ",") + "]" } ?? "null"
        )
        w.bool("include_panic", drill.includesPanicButtons)
        w.string("started_at", RFC3339.format(drill.startedAt))
        return w.finish()
    }
}
