import CampusGuardCore
import Logging
import Synchronization
import Testing

@testable import CampusGuardCLI

@Suite("The daemon's log lines: journald format, redaction, rate limiting")
struct JournalLogHandlerTests {
    /// Lines written by a handler, split at newlines.
    final class Sink: Sendable {
        private let text = Mutex("")
        var lines: [String] { text.withLock { $0.split(separator: "\n").map(String.init) } }
        func write(_ s: String) { text.withLock { $0 += s } }
    }

    static let at = Instant(secondsSinceEpoch: 1_795_400_000.25)

    func logger(journal: Bool, limiter: LogRateLimiter? = nil, sink: Sink) -> Logger {
        Logger(label: "campusguard") { label in
            var h = JournalLogHandler(
                label: label,
                journal: journal,
                limiter: limiter,
                clock: { Self.at },
                write: { sink.write($0) }
            )
            h.logLevel = .trace
            return h
        }
    }

    @Test("under journald: <priority>, the level, the message, then sorted key=value; no timestamp")
    func journalFormat() {
        let sink = Sink()
        var log = logger(journal: true, sink: sink)
        log[metadataKey: "part"] = "delivery"
        log.warning("channel slow", metadata: ["channel": "duty-webhook", "after_ms": "5001"])
        log.critical("store degraded", metadata: ["reason": "disk_full: database or disk is full"])
        log.debug("tick")
        #expect(
            sink.lines == [
                "<4>WARNING channel slow after_ms=5001 channel=duty-webhook part=delivery",
                #"<2>CRITICAL store degraded part=delivery reason="disk_full: database or disk is full""#,
                "<7>DEBUG tick part=delivery",
            ]
        )
    }

    @Test("elsewhere: an RFC 3339 timestamp first; each level maps to its syslog priority")
    func plainFormat() {
        let sink = Sink()
        logger(journal: false, sink: sink).notice("campusguard starting", metadata: ["devices": "16"])
        #expect(sink.lines == ["2026-11-23T02:13:20.250Z NOTICE campusguard starting devices=16"])
        let levels: [Logger.Level] = [.trace, .debug, .info, .notice, .warning, .error, .critical]
        #expect(levels.map(LogLine.priority) == [7, 7, 6, 5, 4, 3, 2])
    }

    @Test(
        "one entry is one line: newlines escaped, quotes and backslashes in quoted values escaped, empty values quoted"
    )
    func oneLine() {
        let sink = Sink()
        logger(journal: true, sink: sink).error(
            "bad input\nignored",
            metadata: ["payload": "{\"smoke\": tr\nue}", "topic": "", "path": #"C:\x"#]
        )
        #expect(sink.lines.count == 1)
        #expect(sink.lines.first == #"<3>ERROR bad input\nignored path=C:\x payload="{\"smoke\": tr\nue}" topic="""#)
    }

    @Test("values of secret-sounding keys are redacted, in nested metadata too; others are kept")
    func redaction() {
        let sink = Sink()
        logger(journal: true, sink: sink).info(
            "connecting",
            metadata: [
                "password": "hunter2", "api_token": "abc", "secretKey": "k1", "key": "k2", "access_token": "t",
                "keepalive": "30s", "monkey": "ok", "tokens": "3",
                "options": ["user": "gw", "password": "p4ss"],
            ]
        )
        let line = sink.lines.first ?? ""
        for secret in ["hunter2", "abc", "k1", "k2", "=t ", "p4ss"] { #expect(!line.contains(secret), "\(line)") }
        #expect(line.contains("password=<redacted>"))
        #expect(line.contains("options=\"[password: <redacted>, user: gw]\""))
        #expect(line.contains("keepalive=30s") && line.contains("monkey=ok") && line.contains("tokens=3"))
        #expect(LogLine.isSecret("webhook_secret") && LogLine.isSecret("X-Signature"))
        #expect(!LogLine.isSecret("keyboard") && !LogLine.isSecret("device"))
        #expect(!LogLine.isSecret("api.token"), "the token's name: who acted")
        #expect(!LogLine.isSecret("secret_file") && !LogLine.isSecret("token_name") && !LogLine.isSecret("key_id"))
    }

    /// A clock for the limiter that moves only when told.
    final class Clock: Sendable {
        private let now = Mutex(ContinuousClock.now)
        var function: @Sendable () -> ContinuousClock.Instant { { self.now.withLock { $0 } } }
        func advance(_ d: Duration) { now.withLock { $0 += d } }
    }

    @Test("the limiter lets `limit` repeats through per window, then suppresses and counts until the window ends")
    func limiter() {
        let clock = Clock()
        let limiter = LogRateLimiter(limit: 3, window: .seconds(60), clock: clock.function)
        var decisions: [LogRateLimiter.Decision] = []
        for _ in 0..<5 {
            decisions.append(limiter.admit("a"))
            clock.advance(.seconds(1))
        }
        #expect(decisions == [.log(suppressed: 0), .log(suppressed: 0), .log(suppressed: 0), .suppress, .suppress])
        #expect(limiter.admit("b") == .log(suppressed: 0), "another message has its own count")
        clock.advance(.seconds(56))
        #expect(limiter.admit("a") == .log(suppressed: 2), "a new window reports what was held back")
        #expect(limiter.admit("a") == .log(suppressed: 0), "once")
    }

    @Test("a handler with a limiter: a storm of one message gives `limit` lines, then one line with the count")
    func stormThroughHandler() {
        let sink = Sink()
        let clock = Clock()
        let log = logger(
            journal: true,
            limiter: LogRateLimiter(limit: 10, window: .seconds(60), clock: clock.function),
            sink: sink
        )
        for i in 0..<25 { log.warning("bad input ignored", metadata: ["n": "\(i)"]) }
        log.error("bad input ignored")  // another level: not a repeat
        #expect(sink.lines.count == 11)
        #expect(sink.lines.prefix(10).allSatisfy { $0.hasPrefix("<4>WARNING bad input ignored n=") })
        #expect(sink.lines.last == "<3>ERROR bad input ignored")
        clock.advance(.seconds(61))
        log.warning("bad input ignored", metadata: ["n": "25"])
        #expect(
            sink.lines.suffix(2) == [
                #"<4>WARNING repeated log message suppressed message="bad input ignored" suppressed=15"#,
                "<4>WARNING bad input ignored n=25",
            ]
        )
    }
}
