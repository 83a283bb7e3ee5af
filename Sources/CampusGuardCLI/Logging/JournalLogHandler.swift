import CDispatch  // where this toolchain's clang importer files `stat` (MemberImportVisibility)
import CampusGuardCore
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The daemon's log handler: one line per entry on standard error in the form journald keeps
/// well (see `LogLine`), secrets redacted, repeats rate-limited (see `LogRateLimiter`).
///
/// Under systemd (`JOURNAL_STREAM` names standard error) each line starts with `<N>`, the
/// syslog priority, so journald keeps the level (`journalctl -p warning`) and stamps the time;
/// elsewhere it starts with an RFC 3339 timestamp.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let journal: Bool
    private let limiter: LogRateLimiter?
    private let write: @Sendable (String) -> Void
    private let clock: @Sendable () -> Instant

    /// - Parameters:
    ///   - journal: prefix priorities and leave out timestamps (see `journalIsStandardError`).
    ///   - limiter: shared by every logger of the process, so repeats are counted across them.
    ///   - write: where a finished line (with its newline) goes; standard error by default.
    public init(
        label: String,
        journal: Bool,
        limiter: LogRateLimiter?,
        metadataProvider: Logger.MetadataProvider? = nil,
        clock: @escaping @Sendable () -> Instant = Gateway.wallClock,
        write: @escaping @Sendable (String) -> Void = JournalLogHandler.writeStandardError
    ) {
        self.label = label
        self.journal = journal
        self.limiter = limiter
        self.metadataProvider = metadataProvider
        self.clock = clock
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let message = event.message.description
        var held = 0
        if let limiter {
            switch limiter.admit("\(label)\u{1}\(event.level.rawValue)\u{1}\(message)") {
            case .suppress: return
            case .log(let suppressed): held = suppressed
            }
        }
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let own = event.metadata { all.merge(own) { $1 } }
        let now = clock()
        var text = ""
        if held > 0 {
            text +=
                LogLine.format(
                    level: event.level,
                    message: "repeated log message suppressed",
                    metadata: ["suppressed": "\(held)", "message": "\(message)"],
                    journal: journal,
                    at: now
                ) + "\n"
        }
        text += LogLine.format(level: event.level, message: message, metadata: all, journal: journal, at: now) + "\n"
        write(text)
    }

    /// True when `JOURNAL_STREAM` (`DEVICE:INODE`) names this process's standard error, as
    /// systemd sets it for a service whose output goes to the journal (sd-daemon(3)).
    public static func journalIsStandardError(
        environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> Bool
    {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(2, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    /// Writes the whole line with one `write(2)`, so lines from several threads never interleave.
    @Sendable public static func writeStandardError(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return }
                offset += n
            }
        }
    }
}
