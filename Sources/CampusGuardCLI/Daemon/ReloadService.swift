import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the config on SIGHUP (`systemctl reload`, `kill -HUP`), one reload at a time: a
/// SIGHUP that comes during a reload runs one more reload after it (several coalesce into one).
///
/// SIGHUP's default action ends the process, so the signal is trapped as soon as the daemon
/// starts (`trapHangup()`, before the config is even read) and handed to this service.
public final class ReloadService: Service, Sendable {
    /// Calls its argument once per SIGHUP, until the signals end.
    private let listen: @Sendable (@escaping @Sendable () -> Void) async -> Void
    private let reload: @Sendable () async -> ReloadOutcome
    private let willReload: @Sendable () -> Void
    private let didReload: @Sendable (ReloadOutcome) -> Void
    private let logger: Logger

    /// Traps SIGHUP from now on; signals that come before the service runs are kept for it.
    public static func trapHangup() async -> UnixSignalsSequence {
        await UnixSignalsSequence(trapping: .sighup)
    }

    /// - Parameters:
    ///   - hangups: from `trapHangup()`.
    ///   - willReload: before each reload (systemd's `RELOADING=1`).
    ///   - didReload: after each, with its outcome (systemd's `READY=1`).
    ///   - reload: the reload itself, e.g. `{ await gateway.reload(from: file) }`.
    public convenience init(
        hangups: UnixSignalsSequence,
        logger: Logger,
        willReload: @escaping @Sendable () -> Void = {},
        didReload: @escaping @Sendable (ReloadOutcome) -> Void = { _ in },
        reload: @escaping @Sendable () async -> ReloadOutcome
    ) {
        self.init(
            listen: { hangup in
                for await _ in hangups { hangup() }
            },
            logger: logger,
            willReload: willReload,
            didReload: didReload,
            reload: reload
        )
    }

    /// With any source of hangups (tests).
    init(
        listen: @escaping @Sendable (@escaping @Sendable () -> Void) async -> Void,
        logger: Logger,
        willReload: @escaping @Sendable () -> Void,
        didReload: @escaping @Sendable (ReloadOutcome) -> Void,
        reload: @escaping @Sendable () async -> ReloadOutcome
    ) {
        self.listen = listen
        self.logger = logger
        self.willReload = willReload
        self.didReload = didReload
        self.reload = reload
    }

    public func run() async throws {
        // Holds at most one request: a SIGHUP during a reload leaves one, more leave still one.
        let (requests, request) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let listen = self.listen
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    await listen { request.yield() }
                    request.finish()
                }
                for await _ in requests {
                    self.logger.notice("SIGHUP: reloading the config")
                    self.willReload()
                    let outcome = await self.reload()
                    self.didReload(outcome)
                }
                group.cancelAll()
            }
        }
    }
}
