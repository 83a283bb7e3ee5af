import CampusGuardCore
import CampusGuardServer
import Logging
import ServiceLifecycle

/// The daemon's side of `Type=notify`: `READY=1` once the engine has published its first board
/// (the store is open, the intake journal recovered, the sources started before it), then
/// `WATCHDOG=1` while the engine's loop is alive, `STATUS=` when the status line changes, and
/// `STOPPING=1` at graceful shutdown.
///
/// It runs last in the gateway's service group, so everything else has been started before it
/// reports ready, and it is the first told to stop.
public struct SystemdService: Service {
    let notifier: SystemdNotifier
    let lastLoop: @Sendable () -> ContinuousClock.Instant?
    let statusLine: @Sendable () -> String
    let logger: Logger
    /// How often the status line is looked at (and sent when it changed).
    let statusEvery: Duration
    /// The engine loop counts as alive when it turned within this; never less than two of its
    /// one-second ticks, so that a busy but healthy engine is not taken for a stuck one.
    let aliveWithin: Duration?

    /// - Parameters:
    ///   - lastLoop: when the engine's loop last turned; nil until it has published a board.
    ///   - statusLine: the current status, e.g. from `SystemdStatus.line(board:parts:)`.
    ///   - minimumAliveWindow: the least `aliveWithin` may be (two engine ticks by default).
    public init(
        notifier: SystemdNotifier,
        lastLoop: @escaping @Sendable () -> ContinuousClock.Instant?,
        statusLine: @escaping @Sendable () -> String,
        logger: Logger,
        statusEvery: Duration = .seconds(2),
        minimumAliveWindow: Duration = .seconds(2)
    ) {
        self.notifier = notifier
        self.lastLoop = lastLoop
        self.statusLine = statusLine
        self.logger = logger
        self.statusEvery = statusEvery
        self.aliveWithin = notifier.watchdogTimeout.map { max($0 / 2, minimumAliveWindow) }
    }

    /// For the gateway: the engine's loop and board, and the parts' health as `/readyz` has it.
    public init(notifier: SystemdNotifier, gateway: Gateway, logger: Logger) {
        let engine = gateway.engine
        self.init(
            notifier: notifier,
            lastLoop: { engine.lastLoop },
            statusLine: { SystemdStatus.line(board: engine.board, parts: gateway.readiness().parts) },
            logger: logger
        )
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await report()
        } onGracefulShutdown: {
            notifier.stopping()
        }
    }

    private func report() async {
        let poll = Duration.milliseconds(20)
        while lastLoop() == nil {
            guard (try? await Task.sleep(for: poll)) != nil, !Task.isShuttingDownGracefully else { return }
        }
        var status = statusLine()
        notifier.ready(status: status)
        logger.notice("systemd notified: ready", metadata: ["status": "\(status)"])
        let half = notifier.watchdogTimeout.map { $0 / 2 }
        let step = half.map { min($0, statusEvery) } ?? statusEvery
        var lastStatusCheck = ContinuousClock.now
        var lastPing = ContinuousClock.now - (half ?? .zero)
        var stuckLogged = false
        while !Task.isShuttingDownGracefully {
            guard (try? await Task.sleep(for: step)) != nil else { return }
            let now = ContinuousClock.now
            // At the latest at half the watchdog timeout, as sd_watchdog_enabled(3) asks: the
            // loop wakes every `step`, so ping at the first wake-up within a step of it.
            if let half, let aliveWithin, let last = lastLoop(), now - lastPing >= half - step {
                if now - last <= aliveWithin {
                    notifier.watchdog()
                    lastPing = now
                    stuckLogged = false
                } else if !stuckLogged {
                    stuckLogged = true
                    logger.critical(
                        "engine loop stuck: systemd's watchdog is no longer fed and will restart the daemon",
                        metadata: ["last_turn_seconds_ago": "\((now - last).components.seconds)"]
                    )
                }
            }
            if now - lastStatusCheck >= statusEvery {
                lastStatusCheck = now
                let next = statusLine()
                if next != status {
                    status = next
                    notifier.status(status)
                }
            }
        }
    }
}
