import CDispatch  // where this toolchain's clang importer files `timespec` (MemberImportVisibility)
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd how the daemon is doing, as `sd_notify(3)` does: one datagram per message on
/// the AF_UNIX socket named by `NOTIFY_SOCKET` (a path, or `@name` in the abstract namespace).
///
/// Without `NOTIFY_SOCKET` (not started by systemd, or `Type=` other than `notify`) every
/// method does nothing. A failed send is logged once and never stops the daemon: systemd's own
/// timeouts are what notice a daemon that cannot report.
public final class SystemdNotifier: Sendable {
    /// Where the messages go; nil when `NOTIFY_SOCKET` is unset or unusable.
    public let socketPath: String?
    /// systemd's watchdog timeout (`WATCHDOG_USEC`), when the watchdog is on for this process.
    public let watchdogTimeout: Duration?
    private let fd: Int32
    private let logger: Logger
    private let failedOnce = Atomic<Bool>(false)

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger) {
        self.logger = logger
        self.watchdogTimeout = Self.watchdogTimeout(environment: environment, pid: getpid())
        guard let path = environment["NOTIFY_SOCKET"], path.count > 1,
            path.hasPrefix("/") || path.hasPrefix("@")
        else {
            if let path = environment["NOTIFY_SOCKET"] {
                logger.warning(
                    "NOTIFY_SOCKET is neither a path nor @name; systemd is not notified",
                    metadata: ["notify_socket": "\(path)"]
                )
            }
            self.socketPath = nil
            self.fd = -1
            return
        }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 {
            logger.error(
                "cannot open a socket for systemd notifications",
                metadata: ["notify_socket": "\(path)", "errno": "\(String(cString: strerror(errno)))"]
            )
        }
        self.socketPath = fd < 0 ? nil : path
        self.fd = fd
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// True when messages are sent (systemd is listening).
    public var isEnabled: Bool { socketPath != nil }

    /// `WATCHDOG_USEC`, unless `WATCHDOG_PID` names another process (then the watchdog is not ours).
    static func watchdogTimeout(environment: [String: String], pid: pid_t) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], let ownerPID = Int32(owner), ownerPID != pid { return nil }
        return .microseconds(Int64(clamping: usec))
    }

    // MARK: - Messages

    /// Start-up is finished: `READY=1`, with a first status line.
    public func ready(status: String? = nil) {
        send(["READY=1"] + (status.map { ["STATUS=" + Self.oneLine($0)] } ?? []))
    }

    /// A reload starts: `RELOADING=1` with `MONOTONIC_USEC=` (systemd 253 and later want it, to
    /// tell this reload from an earlier one). Follow it with `ready(status:)` when done.
    public func reloading() {
        send(["RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())"])
    }

    /// Graceful shutdown has begun: `STOPPING=1`.
    public func stopping() { send(["STOPPING=1"]) }

    /// A free-form status line (`systemctl status` shows it).
    public func status(_ text: String) { send(["STATUS=" + Self.oneLine(text)]) }

    /// The daemon is alive: `WATCHDOG=1`. Call it more often than `watchdogTimeout`.
    public func watchdog() { send(["WATCHDOG=1"]) }

    /// Sends the assignments as one datagram; false when not sent (disabled, or the send failed).
    @discardableResult
    public func send(_ assignments: [String]) -> Bool {
        guard let path = socketPath else { return false }
        let message = Array(assignments.joined(separator: "\n").utf8)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        // `@name` is the abstract namespace: a leading NUL and no terminating one.
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            reportFailure("the socket path is too long", path: path)
            return false
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            if !abstract { raw[bytes.count] = 0 }
        }
        let length = MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + (abstract ? 0 : 1)
        let sent = message.withUnsafeBytes { body in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    sendto(fd, body.baseAddress, body.count, Int32(MSG_NOSIGNAL), sa, socklen_t(length))
                }
            }
        }
        guard sent == message.count else {
            reportFailure(String(cString: strerror(errno)), path: path)
            return false
        }
        return true
    }

    private func reportFailure(_ reason: String, path: String) {
        guard !failedOnce.exchange(true, ordering: .relaxed) else { return }
        logger.error(
            "cannot notify systemd (logged once; the daemon goes on)",
            metadata: ["notify_socket": "\(path)", "reason": "\(reason)"]
        )
    }

    static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ")
    }

    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}
