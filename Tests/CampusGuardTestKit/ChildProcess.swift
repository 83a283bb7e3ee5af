import Foundation

/// A child process for tests and benchmarks, spawned with a clean signal mask.
///
/// Foundation's `Process` hands the child the spawning thread's signal mask, and the threads
/// Swift concurrency runs on block SIGTERM: a broker started that way ignores the SIGTERM a
/// test sends it. Spawning with POSIX_SPAWN_SETSIGMASK and default dispositions fixes that.
/// A reaper thread waits for the exit and stamps it with `ContinuousClock`, so that a timed
/// child's end is seen when it happens, not at the next poll.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    private let reaped: Reaped

    /// - Parameter environment: added to (or replacing entries of) this process's environment.
    public init(
        _ executable: String,
        _ arguments: [String],
        output: String? = nil,
        environment: [String: String] = [:]
    ) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let target = output ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 1, target, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer {
            for p in argv { free(p) }
        }
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0)=\($1)") } + [nil]
        defer {
            for p in envp { free(p) }
        }
        var spawned: pid_t = 0
        let rc = posix_spawn(&spawned, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else { throw TestError("cannot start \(executable): \(String(cString: strerror(rc)))") }
        let pid = spawned
        self.pid = pid
        let reaped = Reaped()
        self.reaped = reaped
        // The thread holds the pid and the box, not `self`: a forgotten child still gets killed in deinit.
        let thread = Thread {
            var raw: Int32 = 0
            var r: pid_t
            repeat { r = waitpid(pid, &raw, 0) } while r < 0 && errno == EINTR
            let at = ContinuousClock.now
            // WIFEXITED / WEXITSTATUS, and 128+signal for a signal, as shells report it.
            let code = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
            reaped.set(status: r == pid ? code : -1, at: at)
        }
        thread.name = "reaper \((executable as NSString).lastPathComponent)"
        thread.start()
    }

    deinit {
        if reaped.exit == nil {
            kill(pid, SIGKILL)
            _ = reaped.wait(timeout: 5)
        }
    }

    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// Waits up to `timeout` seconds for the process to end; its exit status, or nil if it still runs.
    @discardableResult
    public func wait(timeout: Double) -> Int32? { reaped.wait(timeout: timeout)?.status }

    /// `wait(timeout:)` on a thread of its own, so that waiting does not hold one of Swift
    /// concurrency's few threads.
    public func exited(timeout: Double) async -> Int32? {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.wait(timeout: timeout)) }
            thread.start()
        }
    }

    /// The exit status and when the process ended; nil while it runs.
    public var exit: (status: Int32, at: ContinuousClock.Instant)? { reaped.exit }

    public var status: Int32? { exit?.status }

    public var isRunning: Bool { exit == nil }

    /// SIGTERM, then SIGKILL if it has not ended within `grace` seconds.
    public func stop(grace: Double = 5) {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        if wait(timeout: grace) == nil {
            kill(pid, SIGKILL)
            wait(timeout: 5)
        }
    }
}

/// The exit of a child, written once by its reaper thread.
private final class Reaped: @unchecked Sendable {
    // @unchecked Sendable: `value` is only touched under `lock`; `done` is a semaphore.
    private let lock = NSLock()
    private var value: (status: Int32, at: ContinuousClock.Instant)?
    private let done = DispatchSemaphore(value: 0)

    func set(status: Int32, at: ContinuousClock.Instant) {
        lock.withLock { value = (status, at) }
        done.signal()
    }

    var exit: (status: Int32, at: ContinuousClock.Instant)? { lock.withLock { value } }

    func wait(timeout: Double) -> (status: Int32, at: ContinuousClock.Instant)? {
        if let e = exit { return e }
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        done.signal()  // later waits return at once
        return exit
    }
}
