import CampusGuardCore
import CampusGuardStore
import Foundation
import Hummingbird
import Logging

extension APIServer {
    private struct TicketBody: Decodable {
        var title: String?
        var building: String?
        var location: String?
        var device: String?
        var fault: String?
        var note: String?
        var photos: [String]?
    }

    private struct StepBody: Decodable {
        var step: String
        var assignee: String?
        var note: String?
        var photos: [String]?
    }

    /// Hazard tickets (docs/tickets.md): open one, list them, read one, add a step.
    func addTicketRoutes(to router: Router<BasicRequestContext>) {
        router.post("api/v1/tickets") { request, _ in
            let token = try self.authorize(request, .inspect)
            let body = try await self.decode(TicketBody.self, from: request)
            let new = try self.newTicket(body, by: token.name)
            let now = self.clock()
            let ticket = try await self.intoStore { store throws(StoreError) in
                try await store.createTicket(new, at: now, year: self.siteYear(now))
            }
            self.logger.info(
                "hazard ticket opened",
                metadata: ["ticket": "\(ticket.id)", "building": "\(ticket.building)", "api.token": "\(token.name)"]
            )
            return Response.json(Self.ticketAnswer(ticket, now: now), status: .created)
        }
        router.get("api/v1/tickets") { request, _ in
            _ = try self.authorize(request, .read)
            let query = request.uri.queryParameters
            let open: Bool?
            switch query["status"].map(String.init) ?? "open" {
            case "open": open = true
            case "closed": open = false
            case "all": open = nil
            case let other: throw ServerError.badTicketQuery("\"status\" is open, closed or all, not \(other)")
            }
            let building = query["building"].map(String.init)
            if let building, self.site.building(building) == nil {
                throw ServerError.badTicketQuery("\"building\": no building \(building) in the site's config")
            }
            let tickets = try await self.fromStore { store throws(StoreError) in
                try store.tickets(open: open, building: building)
            }
            let now = self.clock()
            let list = tickets.map { $0.apiJSON(now: now, withSteps: false) }
            return Response.json(#"{"tickets":["# + list.joined(separator: ",") + "]}")
        }
        router.get("api/v1/tickets/:id") { request, context in
            _ = try self.authorize(request, .read)
            let id = try context.parameters.require("id")
            guard let ticket = try await self.fromStore({ store throws(StoreError) in try store.ticket(id) }) else {
                throw ServerError(.notFound, "unknown_ticket", "no hazard ticket \(id)")
            }
            return Response.json(Self.ticketAnswer(ticket, now: self.clock()))
        }
        router.post("api/v1/tickets/:id/steps") { request, context in
            let token = try self.authorize(request, .inspect)
            let id = try context.parameters.require("id")
            let body = try await self.decode(StepBody.self, from: request)
            guard let kind = TicketStepKind(rawValue: body.step), kind != .found else {
                throw ServerError.badBody(
                    "\"step\" is assigned, rectified, verified, closed, reopened or note, not \(body.step)"
                )
            }
            let step = NewTicketStep(
                kind: kind,
                by: token.name,
                note: body.note,
                photos: body.photos ?? [],
                assignee: body.assignee
            )
            let now = self.clock()
            let ticket = try await self.intoStore { store throws(StoreError) in
                try await store.addTicketStep(to: id, step, at: now)
            }
            self.logger.info(
                "hazard ticket step",
                metadata: ["ticket": "\(ticket.id)", "step": "\(kind.rawValue)", "api.token": "\(token.name)"]
            )
            return Response.json(Self.ticketAnswer(ticket, now: now))
        }
    }

    private static func ticketAnswer(_ ticket: HazardTicket, now: Instant) -> String {
        #"{"ticket":"# + ticket.apiJSON(now: now, withSteps: true) + "}"
    }

    /// The ticket a body asks for, its building, location and device checked against the
    /// site's config (a fault's are the store's to find).
    private func newTicket(_ body: TicketBody, by: String) throws(ServerError) -> NewTicket {
        var new = NewTicket(
            title: body.title ?? "",
            building: body.building,
            location: body.location,
            device: body.device,
            fault: body.fault,
            note: body.note,
            photos: body.photos ?? [],
            by: by
        )
        guard body.fault == nil else { return new }
        if let id = body.device {
            guard let device = site.devices.first(where: { $0.id == id }) else {
                throw .badBody("\"device\": no device \(id) in the site's config")
            }
            new.location = new.location ?? device.location.description
            new.building = new.building ?? device.location.building
            guard new.building == device.location.building else {
                throw .badBody("\"device\" \(id) is in building \(device.location.building), not \(new.building ?? "")")
            }
        }
        if let location = new.location {
            let parts = location.split(separator: "/", omittingEmptySubsequences: false)
            guard (1...3).contains(parts.count),
                parts.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) })
            else { throw .badBody("\"location\" is BUILDING, BUILDING/FLOOR or BUILDING/FLOOR/ROOM, not \(location)") }
            new.building = new.building ?? String(parts[0])
        }
        guard let building = new.building else {
            throw .badBody("\"building\" is required (or a location, device or fault that says it)")
        }
        guard site.building(building) != nil else {
            throw .badBody("\"building\": no building \(building) in the site's config")
        }
        return new
    }
}
