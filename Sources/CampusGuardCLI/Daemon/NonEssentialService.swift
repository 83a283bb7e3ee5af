import Logging
import ServiceLifecycle

/// Runs a part the daemon can do without (the HTTP API): if it fails (its port is taken, say),
/// the failure is logged as critical and the daemon goes on detecting and delivering alarms,
/// rather than stopping everything with it.
struct NonEssentialService: Service {
    let name: String
    let service: any Service
    let logger: Logger

    func run() async throws {
        do {
            try await service.run()
        } catch is CancellationError {
            return
        } catch {
            logger.critical(
                "\(name) stopped; alarms are still detected and delivered",
                metadata: ["part": "\(name)", "error": "\(error)"]
            )
            // Stay as a service until shutdown, so the group does not take a return for a stop.
            try? await gracefulShutdown()
        }
    }
}
