import Foundation

/// A child process for tests, spawned with a clean signal mask.
///
/// Foundation's `Process` hands the child the spawning thread's signal mask, and the threads
/// Swift concurrency runs on block SIGTERM: a broker started that way ignores the SIGTERM a
/// test sends it. Spawning with POSIX_SPAWN_SETSIGMASK and default dispositions fixes that.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked Sendable: `pid` is immutable; `status` is written by `wait` from one task at a time.
    public let pid: pid_t
    public private(set) var status: Int32?

    public init(_ executable: String, _ arguments: [String], output: String? = nil) throws {
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
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw TestError("cannot start \(executable): \(String(cString: strerror(rc)))") }
        self.pid = pid
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            _ = wait(timeout: 5)
        }
    }

    public func signal(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the process to end, polling (bounded); its exit status, or nil on timeout.
    @discardableResult
    public func wait(timeout: Double) -> Int32? {
        if let status { return status }
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                // WIFEXITED / WEXITSTATUS, and 128+signal for a signal, as shells report it.
                let code = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
                status = code
                return code
            }
            usleep(10_000)
        } while Date() < deadline
        return nil
    }

    public var isRunning: Bool { status == nil && wait(timeout: 0) == nil }
}
