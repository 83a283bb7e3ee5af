import CampusGuardTestKit
import Foundation
import Logging
import Synchronization
import Testing

@testable import CampusGuardCLI

@Suite("ReloadService: one reload at a time")
struct ReloadServiceTests {
    /// What the fake reload saw: how many reloads started, and whether one ran while another did.
    final class Probe: Sendable {
        let state = Mutex((started: 0, running: 0, overlapped: false, hooks: [String]()))
        let release = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let released = Mutex(false)

        func waitForRelease() async {
            await withCheckedContinuation { c in
                let go = released.withLock { r in r }
                if go { c.resume() } else { release.withLock { $0 = c } }
            }
        }

        func open() {
            released.withLock { $0 = true }
            release.withLock { c in
                c?.resume()
                c = nil
            }
        }

        var started: Int { state.withLock { $0.started } }
    }

    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test("SIGHUPs during a reload make ONE more reload after it; the hooks run around each")
    func coalesces() async throws {
        let (signals, send) = AsyncStream.makeStream(of: Void.self)
        let probe = Probe()
        let service = ReloadService(
            listen: { hangup in
                for await _ in signals { hangup() }
            },
            logger: Logger(label: "test"),
            willReload: { probe.state.withLock { $0.hooks.append("will") } },
            didReload: { outcome in probe.state.withLock { $0.hooks.append("did \(outcome)") } },
            reload: {
                let first = probe.state.withLock { s in
                    s.started += 1
                    s.running += 1
                    if s.running > 1 { s.overlapped = true }
                    return s.started == 1
                }
                if first { await probe.waitForRelease() }
                probe.state.withLock { $0.running -= 1 }
                return .refused(["x.yaml:1:1: broken"])
            }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            send.yield()
            #expect(await Self.eventually { probe.started == 1 })
            for _ in 0..<3 { send.yield() }
            try await Task.sleep(for: .milliseconds(50))
            #expect(probe.started == 1, "no reload starts while one runs")
            probe.open()
            #expect(await Self.eventually { probe.started == 2 })
            send.finish()
            try await group.waitForAll()
        }
        #expect(probe.started == 2, "three SIGHUPs during the first reload made one more, not three")
        #expect(!probe.state.withLock { $0.overlapped })
        let did = #"did refused(["x.yaml:1:1: broken"])"#
        #expect(probe.state.withLock { $0.hooks } == ["will", did, "will", did])
    }
}
