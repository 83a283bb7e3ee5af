import CampusGuardCore
import CampusGuardStore
import Hummingbird
import Logging
import NIOPosix

extension APIServer {
    /// `GET /api/v1/report?since=&until=&format=json|md|csv` (viewer and up): the safety
    /// report of a period, worked out from the store's events (docs/api.md).
    func addReportRoutes(to router: Router<BasicRequestContext>) {
        router.get("api/v1/report") { request, _ in
            _ = try self.authorize(request, .read)
            let query = request.uri.queryParameters
            guard let sinceText = query.get("since") else {
                throw ServerError.reportQuery(
                    "\"since\" is required: an RFC 3339 time such as 2026-11-01T00:00:00+08:00"
                )
            }
            guard let since = RFC3339.parse(sinceText) else {
                throw ServerError.reportQuery("since=\(sinceText) is not an RFC 3339 time")
            }
            let until: Instant
            if let untilText = query.get("until") {
                guard let parsed = RFC3339.parse(untilText) else {
                    throw ServerError.reportQuery("until=\(untilText) is not an RFC 3339 time")
                }
                until = parsed
            } else {
                until = self.clock()
            }
            guard since < until else { throw ServerError.reportQuery("since must be before until") }
            let format = query.get("format") ?? "json"
            guard ["json", "md", "csv"].contains(format) else {
                throw ServerError.reportQuery("format=\(format): use json, md or csv")
            }
            let report = try await self.report(since: since, until: until)
            switch format {
            case "md":
                return Self.text(report.markdown(site: self.site), type: "text/markdown; charset=utf-8")
            case "csv":
                return Self.text(report.csv(), type: "text/csv; charset=utf-8")
            default:
                return Response.json(report.json())
            }
        }
    }

    /// The report of the period, from the store off the concurrency pool.
    func report(since: Instant, until: Instant) async throws -> SafetyReport {
        guard let store else {
            throw ServerError.storeUnavailable("this daemon runs without a store; there is nothing to report from")
        }
        let events: [Event]
        do {
            events = try await NIOThreadPool.singleton.runIfActive {
                try store.reportEvents(since: since, until: until)
            }
        } catch let error as StoreError {
            logger.error("cannot read the report's events", metadata: ["error": "\(error)"])
            throw ServerError.storeUnavailable("the store cannot be read: \(error)")
        }
        return SafetyReport(events: events, since: since, until: until, tickets: try openTicketsForReport(store))
    }

    /// The hazard tickets open now, oldest first, for the report's last section (docs/tickets.md).
    func openTicketsForReport(_ store: Store) throws(ServerError) -> [SafetyReport.OpenTicket] {
        do {
            return try store.openTickets().map {
                SafetyReport.OpenTicket(
                    id: $0.id,
                    building: $0.building,
                    title: $0.title,
                    state: $0.status.rawValue,
                    opened: $0.createdAt
                )
            }
        } catch {
            logger.error("cannot read the report's open tickets", metadata: ["error": "\(error)"])
            throw ServerError.storeUnavailable("the store's tickets cannot be read: \(error)")
        }
    }

    static func text(_ body: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body))
        )
    }
}

extension ServerError {
    /// A report's query that cannot be used: 422 `bad_query`.
    static func reportQuery(_ reason: String) -> ServerError {
        ServerError(.unprocessableContent, "bad_query", reason)
    }
}
