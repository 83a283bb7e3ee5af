import CampusGuardCLI
import CampusGuardCore
import CampusGuardServer
import CampusGuardTestKit
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension IntegrationTests {
    /// The API server as the daemon runs it: a `Service` in a `ServiceGroup`, on a real port.
    @Suite("HTTP API server", .serialized, .timeLimit(.minutes(1)))
    struct APIServerTests {
        /// Stands in for the engine: records commands, acknowledges with one event.
        final class Commands: CommandHandler {
            let received = Mutex<[EngineCommand]>([])

            func perform(_ command: EngineCommand) async throws(CommandError) -> [Event] {
                received.withLock { $0.append(command) }
                guard case .acknowledge(let alarm, let by) = command else { return [] }
                var e = Event(
                    timestamp: Gateway.wallClock(),
                    type: .alarmAcknowledged,
                    alarm: alarm,
                    kind: .panic,
                    severity: .critical,
                    devices: ["gate-panic-1"],
                    location: "gate/1/guard"
                )
                e.by = by
                return [e]
            }
        }

        @Test("listens on api.listen, answers over HTTP with a token from the file, stops on graceful shutdown")
        func live() async throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-api-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let tokens = dir.appendingPathComponent("tokens").path
            let token = try TokenFile.add(name: "guard-room", role: .duty, path: tokens)
            let port = try FreePort.find()
            let config = SiteConfig(
                site: .init(id: "demo", name: "Demo"),
                buildings: [],
                devices: [],
                api: .init(listen: "127.0.0.1:\(port)", tokensFile: tokens)
            )
            let commands = Commands()
            let server = try APIServer(
                config: config,
                commands: commands,
                store: nil,
                logger: .test,
                clock: Gateway.wallClock
            )
            let group = ServiceGroup(services: [server], logger: .test)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try FreePort.waitUntilListening(port, timeout: 10)
                let base = "http://127.0.0.1:\(port)"

                let (health, healthResponse) = try await Self.send("GET", base + "/healthz")
                #expect(healthResponse == 200)
                #expect(String(decoding: health, as: UTF8.self) == "ok")

                let (_, unauthorized) = try await Self.send("POST", base + "/api/v1/alarms/A-1/ack")
                #expect(unauthorized == 401)

                let (body, ok) = try await Self.send(
                    "POST",
                    base + "/api/v1/alarms/A-1/ack",
                    token: token,
                    json: #"{"by":"李老师"}"#
                )
                #expect(ok == 200)
                #expect(String(decoding: body, as: UTF8.self).contains(#""type":"alarm.acknowledged""#))
                #expect(commands.received.withLock { $0 } == [.acknowledge(alarm: "A-1", by: "李老师")])

                let (_, noStore) = try await Self.send("GET", base + "/api/v1/alarms", token: token)
                #expect(noStore == 503)

                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }

        static func send(
            _ method: String,
            _ url: String,
            token: String? = nil,
            json: String? = nil
        ) async throws -> (Data, Int) {
            var request = URLRequest(url: URL(string: url)!, timeoutInterval: 10)
            request.httpMethod = method
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let json {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(json.utf8)
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            return (data, (response as? HTTPURLResponse)?.statusCode ?? 0)
        }
    }
}
