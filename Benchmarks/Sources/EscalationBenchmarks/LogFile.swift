// The gateway's log, to a file: it logs every alarm and every delivery, as `campusguard run`
// does to stderr, without flooding the benchmark's terminal.

import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A `LogHandler` writing `StreamLogHandler`'s format to a file.
struct FileLogHandler: LogHandler {
    final class Sink: @unchecked Sendable {
        // @unchecked Sendable: the FILE is only written under `lock`.
        let lock = NSLock()
        let file: UnsafeMutablePointer<FILE>?
        init(path: String) { file = fopen(path, "a") }
        func write(_ line: String) {
            lock.lock()
            defer { lock.unlock() }
            if let file { fputs(line, file) }
        }
    }

    let label: String
    let sink: Sink
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let meta =
            all.isEmpty
            ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        var t = time(nil)
        var tm = tm()
        localtime_r(&t, &tm)
        var buffer = [CChar](repeating: 0, count: 64)
        strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &tm)
        let stamp = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        sink.write("\(stamp) \(event.level) \(label) :\(meta) \(event.message)\n")
    }
}
