import CampusGuardServer

/// The gateway answers for the daemon what `/metrics`, `/readyz` and `/healthz` ask (through
/// its `observer`): `gateway.readiness()` gives each part's state to the CLI layer too.
extension Gateway: GatewayObservation {
    public var lastEngineLoop: ContinuousClock.Instant? { observer.lastEngineLoop }
    public var metrics: GatewayMetrics { observer.metrics }
    public func snapshot(figures: Bool) -> GatewaySnapshot { observer.snapshot(figures: figures) }
}
