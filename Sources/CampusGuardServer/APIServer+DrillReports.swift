import CampusGuardCore
import CampusGuardStore
import Hummingbird

extension APIServer {
    /// The drill log and each drill's report. Admin only: a drill is unannounced, and whoever
    /// may read the log could tell the people on duty that one is running.
    func addDrillReportRoutes(to router: Router<BasicRequestContext>) {
        router.get("api/v1/drills") { request, _ in
            _ = try self.authorize(request, .administer)
            let since = try Self.instant(request, "since")
            let drills = try await self.readStore("the drill log") { store throws(StoreError) -> [DrillRecord] in
                try store.drills(since: since)
            }
            return Response.json(#"{"drills":["# + drills.map(Self.json).joined(separator: ",") + "]}")
        }
        router.get("api/v1/drills/:id/report") { request, context in
            _ = try self.authorize(request, .administer)
            let text = try context.parameters.require("id")
            guard let id = Int64(text) else { throw ServerError.unknownDrill(text) }
            let now = self.clock()
            let report = try await self.readStore("the drill report") { store throws(StoreError) -> DrillReport? in
                guard let drill = try store.drill(id: id) else { return nil }
                return try DrillReport(store: store, drills: [drill], now: now)
            }
            guard let report else { throw ServerError.unknownDrill(text) }
            return Response.json(report.json())
        }
    }

    /// A drill of the log, as `GET /api/v1/drills` lists it.
    static func json(_ d: DrillRecord) -> String {
        var w = JSONObjectWriter()
        w.raw("id", String(d.id))
        w.string("name", d.name)
        w.raw(
            "buildings",
            d.buildings.map { "[" + $0.map(JSONObjectWriter.quote).joined(separator: ",") + "]" } ?? "null"
        )
        w.bool("include_panic", d.includesPanicButtons)
        w.string("started_at", RFC3339.format(d.started))
        w.raw("stopped_at", DeviceView.time(d.stopped))
        w.raw("started_by", DeviceView.quoted(d.startedBy))
        w.raw("stopped_by", DeviceView.quoted(d.stoppedBy))
        w.bool("running", d.stopped == nil)
        return w.finish()
    }
}
