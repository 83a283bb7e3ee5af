import CampusGuardCore
import Foundation
import Synchronization

/// Writes events as JSON Lines (the replay format) to a file or stdout, for `run --events`.
public final class EventWriter: Sendable {
    private let handle: Mutex<FileHandle>

    /// `-` is stdout; a path is appended to (created if missing).
    public init(path: String) throws {
        if path == "-" {
            handle = Mutex(FileHandle.standardOutput)
            return
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd()
        handle = Mutex(h)
    }

    public func write(_ events: [Event]) {
        guard !events.isEmpty else { return }
        var text = ""
        for e in events {
            text += e.jsonLine
            text += "\n"
        }
        let data = Data(text.utf8)
        handle.withLock { $0.write(data) }
    }
}
