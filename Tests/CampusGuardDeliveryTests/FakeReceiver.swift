import CampusGuardCore
import Foundation
import Synchronization

@testable import CampusGuardDelivery

/// A scripted DC-09 receiver on 127.0.0.1 for the link's unit tests: it decodes every frame it
/// gets and answers what `answer` returns (nil: silence). pysiaalarm is the real receiver of
/// the integration tests; this one can misbehave on purpose.
final class FakeReceiver: Sendable {
    let port: Int
    private let listener: Int32
    private let key: DC09Key?
    private let answer: @Sendable (DC09Frame, Int) -> [UInt8]?
    private let state = Mutex(State())

    private struct State {
        var frames: [DC09Frame] = []
        var connections = 0
        var stopped = false
    }

    /// `answer` gets each frame and how many frames came before it.
    init(key: DC09Key? = nil, answer: @escaping @Sendable (DC09Frame, Int) -> [UInt8]?) throws {
        self.key = key
        self.answer = answer
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        guard ok else { throw PoliceLinkError(.connection, "fake receiver: cannot listen") }
        listener = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    var frames: [DC09Frame] { state.withLock { $0.frames } }
    var connections: Int { state.withLock { $0.connections } }

    func receiver(_ role: PoliceLinkReceiver.Role = .primary) -> PoliceLinkReceiver {
        PoliceLinkReceiver(role: role, host: "127.0.0.1", port: port)
    }

    func stop() {
        let first = state.withLock { s in
            defer { s.stopped = true }
            return !s.stopped
        }
        if first { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    private var stopped: Bool { state.withLock { $0.stopped } }

    private func acceptLoop() {
        while !stopped {
            var p = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 50) > 0 else { continue }
            let c = accept(listener, nil, nil)
            guard c >= 0 else { continue }
            state.withLock { $0.connections += 1 }
            let thread = Thread { [self] in serve(c) }
            thread.start()
        }
        close(listener)
    }

    private func serve(_ c: Int32) {
        defer { close(c) }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !stopped {
            var p = pollfd(fd: c, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 50) > 0 else { continue }
            let n = recv(c, &chunk, chunk.count, 0)
            guard n > 0 else { return }
            buffer.append(contentsOf: chunk[..<n])
            while let lf = buffer.firstIndex(of: 0x0A), let cr = buffer[lf...].firstIndex(of: 0x0D) {
                let raw = Array(buffer[lf...cr])
                buffer.removeFirst(cr + 1)
                guard let frame = try? DC09Frame.decode(raw, key: key) else { continue }
                let index = state.withLock { s in
                    s.frames.append(frame)
                    return s.frames.count - 1
                }
                if let reply = answer(frame, index) {
                    _ = reply.withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
            }
        }
    }

    // MARK: - Replies

    static func ack(_ f: DC09Frame) -> [UInt8] { reply("ACK", sequence: f.sequence) }

    static func duh(_ f: DC09Frame) -> [UInt8] { reply("DUH", sequence: f.sequence) }

    static func nak(time: Instant) -> [UInt8] { reply("NAK", sequence: 0, timestamp: time) }

    static func reply(_ id: String, sequence: Int, timestamp: Instant? = nil) -> [UInt8] {
        (try? DC09Frame(id: id, sequence: sequence, account: "1234", data: "", timestamp: timestamp).encoded()) ?? []
    }
}

/// The wall clock as the link reads it.
func wallClock() -> Instant { Instant(secondsSinceEpoch: Date().timeIntervalSince1970) }

/// Waits for a condition, polling, bounded in time; true if it became true.
func eventually(timeout: Double = 10, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
