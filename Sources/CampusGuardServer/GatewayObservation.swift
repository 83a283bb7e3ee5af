/// What the HTTP API needs from the running daemon for `/metrics`, `/readyz` and `/healthz`.
///
/// Defined here, implemented by the daemon's composition root (`Gateway` in CampusGuardCLI),
/// so that the server never imports the parts it reports on.
public protocol GatewayObservation: Sendable {
    /// When the engine's loop last went round (at least once a second while it runs); nil
    /// before it has started.
    var lastEngineLoop: ContinuousClock.Instant? { get }

    /// Every part's state now, from the parts' thread-safe accessors; with `figures`, also the
    /// gauges and totals only `/metrics` shows (backlogs and the store's size, from a few cheap
    /// store queries; input error totals). No network. May block briefly on the store: call it
    /// off the event loop.
    func snapshot(figures: Bool) -> GatewaySnapshot

    /// The daemon's counters; `/metrics` renders them together with a fresh snapshot.
    var metrics: GatewayMetrics { get }
}

extension GatewayObservation {
    /// Each part's state and the daemon's overall status, as `/readyz` reports them.
    public func readiness() -> Readiness {
        // The parts' states only: no store queries for /readyz, nor for systemd's status line.
        Readiness(snapshot: snapshot(figures: false), channels: metrics.channelStates())
    }

    /// The metrics in Prometheus text format, with the gauges read now.
    public func metricsText() -> String {
        metrics.render(snapshot(figures: true))
    }
}
