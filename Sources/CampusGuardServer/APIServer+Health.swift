import CampusGuardCore
import Hummingbird
import NIOPosix

extension APIServer {
    /// `GET /healthz` (liveness), `GET /readyz` (each part's state) and `GET /metrics`
    /// (Prometheus text): no token needed, none carries personal data or secrets.
    func addHealthRoutes(to router: Router<BasicRequestContext>) {
        let observation = self.observation
        router.get("healthz") { _, _ in
            let problem = Self.livenessProblem(
                lastLoop: observation?.lastEngineLoop,
                now: .now,
                observed: observation != nil
            )
            return Response.text(
                problem.map { "down: \($0)" } ?? "ok",
                status: problem == nil ? .ok : .serviceUnavailable
            )
        }
        guard let observation else { return }
        router.get("readyz") { _, _ in
            // The snapshot reads the store: off the event loop.
            let readiness = try await NIOThreadPool.singleton.runIfActive { observation.readiness() }
            return Response.json(readiness.json, status: readiness.status == .down ? .serviceUnavailable : .ok)
        }
        router.get("metrics") { _, _ in
            let text = try await NIOThreadPool.singleton.runIfActive { observation.metricsText() }
            return Response.text(text, contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    /// Why the daemon is not alive (its engine's loop has not gone round within
    /// `Readiness.engineStallLimit`, or has not started); nil when it is, or when there is no
    /// daemon to observe (the server alone, in tests).
    static func livenessProblem(
        lastLoop: ContinuousClock.Instant?,
        now: ContinuousClock.Instant,
        observed: Bool
    )
        -> String?
    {
        guard observed else { return nil }
        guard let lastLoop else { return "the engine has not started" }
        let age = now - lastLoop
        return age > Readiness.engineStallLimit ? "the engine's loop stalled \(Readiness.seconds(age)) s ago" : nil
    }
}
