import Glibc

/// A self-pipe that wakes the link thread out of `poll(2)`: for a new message, or to stop.
final class LinkWaker: @unchecked Sendable {
    // @unchecked Sendable: the two descriptors are fixed at init and closed in deinit; `wake()`
    // writes from any thread (write(2) on a pipe is thread-safe), everything else runs on the
    // link thread only.
    private let readEnd: Int32
    private let writeEnd: Int32

    enum Wait {
        /// The descriptor is ready for what was asked.
        case ready
        case timedOut
        /// `wake()` was called: look at the queue or the stop flag.
        case woken
    }

    init() throws(PoliceLinkError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw PoliceLinkError(
                .connection,
                "cannot create the wake pipe: \(String(cString: strerror(errno)))",
                code: errno
            )
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)  // a full pipe already holds a wake-up
    }

    /// Waits for `events` on `fd` (or only for a wake-up or the deadline when `fd` is nil).
    func wait(fd: Int32?, events: Int16, until deadline: ContinuousClock.Instant) -> Wait {
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return .timedOut }
            let ms = Int32(
                clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1
            )
            var polled = [pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
            if let fd { polled.append(pollfd(fd: fd, events: events, revents: 0)) }
            let n = poll(&polled, nfds_t(polled.count), ms)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { continue }  // poll's timeout: the loop's deadline check decides
            if polled.count > 1 && polled[1].revents != 0 { return .ready }
            if polled[0].revents != 0 {
                drain()
                return .woken
            }
        }
    }

    private func drain() {
        var sink = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &sink, sink.count) > 0 {}
    }
}
