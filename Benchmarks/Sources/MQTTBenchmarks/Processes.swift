// Child processes (the broker, mosquitto_sub) and the broker itself.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A line on stderr.
func warn(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A value behind a lock, for state shared with the clients' network threads.
final class Locked<Value>: @unchecked Sendable {
    // @unchecked Sendable: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// A child process spawned with an empty signal mask and default signal dispositions.
///
/// Foundation's `Process` hands the child the spawning thread's signal mask, and the threads
/// Swift concurrency runs on block SIGTERM: a broker started that way ignores SIGTERM. A reaper
/// thread waits for the exit and stamps it with `ContinuousClock`, so that a timed child's end is
/// seen when it happens, not at the next poll.
final class Child: @unchecked Sendable {
    // @unchecked Sendable: `pid` is immutable; the exit is behind a lock.
    let pid: pid_t
    let name: String
    private let exited = DispatchSemaphore(value: 0)
    private let exit = Locked<(status: Int32, at: ContinuousClock.Instant)?>(nil)

    init(_ executable: String, _ arguments: [String], output: String = "/dev/null") throws {
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
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer {
            for p in argv { free(p) }
        }
        var spawned: pid_t = 0
        let rc = posix_spawn(&spawned, executable, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw BenchError("cannot start \(executable): \(String(cString: strerror(rc)))") }
        self.pid = spawned
        self.name = (executable as NSString).lastPathComponent
        let thread = Thread { [self] in
            var raw: Int32 = 0
            var r: pid_t
            repeat { r = waitpid(pid, &raw, 0) } while r < 0 && errno == EINTR
            let at = ContinuousClock.now
            // WIFEXITED / WEXITSTATUS, and 128+signal for a signal, as shells report it.
            let code = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
            exit.withLock { $0 = (r == pid ? code : -1, at) }
            exited.signal()
        }
        thread.name = "reaper \(name)"
        thread.start()
    }

    /// The exit status and when it came, waiting up to `timeout` seconds; nil if still running.
    func wait(timeout: Double) -> (status: Int32, at: ContinuousClock.Instant)? {
        if let e = exit.withLock({ $0 }) { return e }
        guard exited.wait(timeout: .now() + timeout) == .success else { return nil }
        exited.signal()  // later calls return at once
        return exit.withLock { $0 }
    }

    /// SIGTERM, then SIGKILL if it has not ended within `grace` seconds.
    func stop(grace: Double = 5) {
        guard wait(timeout: 0) == nil else { return }
        kill(pid, SIGTERM)
        if wait(timeout: grace) == nil {
            kill(pid, SIGKILL)
            _ = wait(timeout: 5)
        }
    }
}

/// Debian's mosquitto on a free loopback port, with a temporary config and log, no persistence.
final class Broker {
    let port: Int
    let directory: String
    let process: Child

    static let executable: String? = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    init() throws {
        guard let executable = Self.executable else {
            throw BenchError("mosquitto not found (Debian: apt-get install mosquitto mosquitto-clients)")
        }
        port = try FreePort.find()
        var template = Array("/tmp/cg-mqtt-bench-XXXXXX".utf8CString)
        guard let dir = mkdtemp(&template) else { throw BenchError("mkdtemp failed") }
        directory = String(cString: dir)
        // Started as root, mosquitto drops to its own user, which must be able to write its log here.
        chmod(directory, 0o777)
        // Defaults, except the queues: a consumer that falls behind gets every message late
        // rather than losing some (max_queued_messages 1000 would drop, and the counts would
        // never complete). Not verbose: logging every packet would slow the broker.
        let config = """
            listener \(port) 127.0.0.1
            allow_anonymous true
            persistence false
            max_queued_messages 0
            log_dest file \(directory)/mosquitto.log
            log_type error
            log_type warning
            log_type notice

            """
        let file = directory + "/mosquitto.conf"
        try config.write(toFile: file, atomically: true, encoding: .utf8)
        process = try Child(executable, ["-c", file], output: directory + "/mosquitto.out")
        do {
            try FreePort.waitUntilListening(port, timeout: 5)
        } catch {
            process.stop(grace: 1)
            throw BenchError("mosquitto did not start on 127.0.0.1:\(port): \(log.suffix(500))")
        }
    }

    var url: String { "mqtt://127.0.0.1:\(port)" }

    var log: String {
        let read = { (name: String) in (try? String(contentsOfFile: self.directory + "/" + name, encoding: .utf8)) ?? ""
        }
        return read("mosquitto.out") + read("mosquitto.log")
    }

    func stop() {
        process.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

enum FreePort {
    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        guard bound else { throw BenchError("bind() failed") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Polls until something accepts TCP connections on the port (bounded by `timeout` seconds).
    static func waitUntilListening(_ port: Int, timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = UInt16(port).bigEndian
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let ok = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(fd)
            if ok { return }
            usleep(20_000)
        }
        throw BenchError("nothing listens on 127.0.0.1:\(port) after \(timeout) s")
    }
}
