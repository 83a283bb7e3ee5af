import CampusGuardCore
import CampusGuardStore
import Foundation
import Hummingbird
import Logging
import NIOPosix

extension APIServer {
    private struct AcknowledgeBody: Decodable {
        var by: String?
    }

    private struct ResolveBody: Decodable {
        var note: String?
        var by: String?
    }

    func addAlarmRoutes(to router: Router<BasicRequestContext>) {
        router.get("api/v1/alarms") { request, _ in
            _ = try self.authorize(request, .read)
            if let since = try Self.instant(request, "since") {
                return try await self.alarmHistory(since: since, limit: Self.limit(request, default: 200, max: 1000))
            }
            let alarms = try await self.openAlarms()
            return Response.json(#"{"alarms":["# + alarms.map(\.apiJSON).joined(separator: ",") + "]}")
        }
        router.post("api/v1/alarms/:id/ack") { request, context in
            let token = try self.authorize(request, .respond)
            let alarm = try context.parameters.require("id")
            let body = try await self.decode(AcknowledgeBody.self, from: request, empty: AcknowledgeBody())
            let by = try Self.personName(body.by) ?? token.name
            let events = try await self.perform(.acknowledge(alarm: alarm, by: by), token: token)
            return Response.json(Self.answer(alarm: alarm, events: events))
        }
        router.post("api/v1/alarms/:id/resolve") { request, context in
            let token = try self.authorize(request, .respond)
            let alarm = try context.parameters.require("id")
            let body = try await self.decode(ResolveBody.self, from: request)
            guard let note = body.note?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty else {
                throw ServerError.badBody("\"note\" is required: say what was found and done")
            }
            guard note.count <= 2000 else { throw ServerError.badBody("\"note\" is longer than 2000 characters") }
            let by = try Self.personName(body.by) ?? token.name
            let events = try await self.perform(.resolve(alarm: alarm, by: by, note: note), token: token)
            return Response.json(Self.answer(alarm: alarm, events: events))
        }
    }

    /// Carries out a person's command; the engine's refusal becomes the HTTP answer.
    func perform(_ command: EngineCommand, token: APIToken?) async throws(ServerError) -> [Event] {
        do {
            let events = try await commands.perform(command)
            logger.info(
                "command carried out",
                metadata: ["command": "\(command)", "api.token": "\(token?.name ?? "-")", "events": "\(events.count)"]
            )
            return events
        } catch {
            logger.notice(
                "command refused",
                metadata: ["command": "\(command)", "api.token": "\(token?.name ?? "-")", "reason": "\(error)"]
            )
            throw .refused(error)
        }
    }

    /// The alarms still open, read from the store off the concurrency pool.
    func openAlarms() async throws -> [OpenAlarmRecord] {
        guard let store else {
            throw ServerError.storeUnavailable("this daemon runs without a store; open alarms cannot be listed")
        }
        do {
            return try await NIOThreadPool.singleton.runIfActive { try store.openAlarms() }
        } catch let error as StoreError {
            logger.error("cannot read open alarms", metadata: ["error": "\(error)"])
            throw ServerError.storeUnavailable("the store cannot be read: \(error)")
        }
    }

    static func answer(alarm: String, events: [Event]) -> String {
        var w = JSONObjectWriter()
        w.string("alarm", alarm)
        w.raw("events", "[" + events.map(\.jsonLine).joined(separator: ",") + "]")
        return w.finish()
    }
}
