import Glibc

/// One TCP connection to a receiving centre: non-blocking, waited on with `poll(2)` through the
/// link's `LinkWaker`, so that a stop interrupts every wait. Used by the link thread only.
final class ReceiverConnection {
    let receiver: PoliceLinkReceiver
    private let waker: LinkWaker
    private let stopping: () -> Bool
    private(set) var fd: Int32 = -1

    init(receiver: PoliceLinkReceiver, waker: LinkWaker, stopping: @escaping () -> Bool) {
        self.receiver = receiver
        self.waker = waker
        self.stopping = stopping
    }

    deinit { close() }

    var isOpen: Bool { fd >= 0 }

    func close() {
        guard fd >= 0 else { return }
        _ = Glibc.close(fd)
        fd = -1
    }

    /// Connects, trying each address of the host in turn, each within `timeout`.
    func open(timeout: Duration) throws(PoliceLinkError) {
        close()
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let rc = getaddrinfo(receiver.host, String(receiver.port), &hints, &list)
        guard rc == 0 else {
            throw PoliceLinkError(.connection, "cannot resolve \(receiver.host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        var failure = PoliceLinkError(.connection, "\(receiver.host) has no address")
        var next = list
        while let ai = next {
            next = ai.pointee.ai_next
            let s = socket(ai.pointee.ai_family, ai.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard s >= 0 else {
                failure = .errno("cannot create a socket")
                continue
            }
            _ = fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK)
            if connect(s, ai.pointee.ai_addr, ai.pointee.ai_addrlen) != 0 && errno != EINPROGRESS {
                failure = .errno("connect")
                _ = Glibc.close(s)
                continue
            }
            do throws(PoliceLinkError) {
                try waitFor(s, Int16(POLLOUT), until: ContinuousClock.now + timeout, what: "connect")
            } catch {
                _ = Glibc.close(s)
                if error.kind == .stopped { throw error }
                failure = error
                continue
            }
            var soError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(s, SOL_SOCKET, SO_ERROR, &soError, &length)
            guard soError == 0 else {
                failure = PoliceLinkError(.connection, "connect: \(String(cString: strerror(soError)))", code: soError)
                _ = Glibc.close(s)
                continue
            }
            var one: Int32 = 1
            setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            fd = s
            return
        }
        throw failure
    }

    /// Writes all of `bytes` within `timeout`.
    func write(_ bytes: [UInt8], timeout: Duration) throws(PoliceLinkError) {
        let deadline = ContinuousClock.now + timeout
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                offset += n
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                try waitFor(fd, Int16(POLLOUT), until: deadline, what: "write")
            } else {
                throw .errno("write")
            }
        }
    }

    enum ReadResult {
        case data
        case nothing
        case closed
    }

    /// Reads what has arrived, without waiting.
    func readAvailable(into buffer: inout DC09ReplyBuffer) throws(PoliceLinkError) -> ReadResult {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &chunk, chunk.count, 0)
        if n > 0 {
            buffer.append(chunk[..<n])
            return .data
        }
        if n == 0 { return .closed }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return .nothing }
        throw .errno("read")
    }

    /// Waits until the connection has something to read; false when the deadline passed.
    func waitReadable(until deadline: ContinuousClock.Instant) throws(PoliceLinkError) -> Bool {
        do {
            try waitFor(fd, Int16(POLLIN), until: deadline, what: "read")
            return true
        } catch  where error.kind == .connection {
            return false
        }
    }

    private func waitFor(
        _ s: Int32,
        _ events: Int16,
        until deadline: ContinuousClock.Instant,
        what: String
    )
        throws(PoliceLinkError)
    {
        while true {
            switch waker.wait(fd: s, events: events, until: deadline) {
            case .ready: return
            case .timedOut: throw PoliceLinkError(.connection, "\(what): timed out", code: ETIMEDOUT)
            case .woken: if stopping() { throw PoliceLinkError(.stopped, "the police link is stopping") }
            }
        }
    }
}

extension PoliceLinkError {
    /// From the errno of the call that just failed.
    static func errno(_ operation: String) -> PoliceLinkError {
        let code = Glibc.errno
        return PoliceLinkError(.connection, "\(operation): \(String(cString: strerror(code)))", code: code)
    }
}
