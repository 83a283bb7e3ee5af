import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A systemd notify socket of a test's own: a bound AF_UNIX datagram socket that collects what
/// a daemon sends it (`READY=1`, `WATCHDOG=1`, …), as systemd's manager would.
public final class NotifySocket: Sendable {
    /// The value for the daemon's `NOTIFY_SOCKET`: the path, or `@name` when abstract.
    public let address: String
    private let fd: Int32
    private let file: String?

    /// Binds a socket file in `directory`, or one in the abstract namespace when `directory` is nil.
    public init(directory: String?) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestError("socket: \(String(cString: strerror(errno)))") }
        let name = "cg-notify-\(UUID().uuidString.prefix(8))"
        var bytes: [UInt8]
        if let directory {
            file = directory + "/notify.sock"
            address = file!
            bytes = Array(file!.utf8) + [0]
        } else {
            file = nil
            address = "@" + name
            bytes = [0] + Array(name.utf8)
        }
        var sa = sockaddr_un()
        sa.sun_family = sa_family_t(AF_UNIX)
        guard bytes.count <= MemoryLayout.size(ofValue: sa.sun_path) else {
            close(fd)
            throw TestError("socket path too long: \(address)")
        }
        withUnsafeMutableBytes(of: &sa.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count - (file == nil ? 0 : 1))
        let rc = withUnsafePointer(to: &sa) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard rc == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw TestError("bind \(address): \(reason)")
        }
        self.fd = fd
    }

    deinit {
        close(fd)
        if let file { unlink(file) }
    }

    /// The next datagram, or nil when none comes within `timeout` seconds.
    public func receive(timeout: Double) -> String? {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let rc = poll(&p, 1, Int32(timeout * 1000))
        guard rc > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
        guard n >= 0 else { return nil }
        return String(decoding: buffer[0..<n], as: UTF8.self)
    }

    /// Datagrams until one has a line for which `until` holds (that one included), or until
    /// `timeout` seconds have passed in all (then the list ends without it).
    public func collect(timeout: Double, until: (String) -> Bool) -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var out: [String] = []
        while Date() < deadline {
            guard let message = receive(timeout: max(0.01, deadline.timeIntervalSinceNow)) else { continue }
            out.append(message)
            if message.split(separator: "\n").contains(where: { until(String($0)) }) { break }
        }
        return out
    }

    /// `collect(timeout:until:)` on a thread of its own, so that waiting does not hold one of
    /// Swift concurrency's few threads (the service under test needs them to run).
    public func collected(timeout: Double, until: @escaping @Sendable (String) -> Bool) async -> [String] {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: self.collect(timeout: timeout, until: until)) }
            thread.start()
        }
    }
}
