import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tokens file as the server sees it: looked at on every request and re-read when it has
/// changed, so a token added with `campusguard token add` works without a restart.
public final class APITokens: Sendable {
    public let path: String
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var loaded = false
        /// Nil: there is no file.
        var stamp: FileStamp?
        var byHash: [String: APIToken] = [:]
    }

    /// What tells a changed file: a replaced file has a new inode, an edited one a new mtime or size.
    private struct FileStamp: Equatable {
        var inode: UInt64
        var size: Int64
        var seconds: Int
        var nanoseconds: Int
    }

    public init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
    }

    /// The entry of the token (the text after `Bearer `); nil if the file has no such token.
    public func authenticate(_ token: String) -> APIToken? {
        reloadIfChanged()
        let hash = TokenFile.hash(token)
        return state.withLock { $0.byHash[hash] }
    }

    /// How many tokens the file has now.
    public var count: Int {
        reloadIfChanged()
        return state.withLock { $0.byHash.count }
    }

    private func reloadIfChanged() {
        let stamp = Self.stamp(path)
        state.withLock { s in
            guard !s.loaded || s.stamp != stamp else { return }
            s.loaded = true
            s.stamp = stamp
            s.byHash = [:]
            guard stamp != nil else {
                logger.warning("no API tokens file: every API request is refused", metadata: ["file": "\(path)"])
                return
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                logger.error("cannot read the API tokens file", metadata: ["file": "\(path)"])
                return
            }
            let (entries, problems) = TokenFile.parse(String(decoding: data, as: UTF8.self))
            for p in problems {
                logger.warning(
                    "API tokens file: line ignored",
                    metadata: ["file": "\(path)", "line": "\(p.line)", "reason": "\(p.reason)"]
                )
            }
            for e in entries where s.byHash[e.hash] == nil { s.byHash[e.hash] = e.token }
            logger.info("API tokens loaded", metadata: ["file": "\(path)", "tokens": "\(s.byHash.count)"])
        }
    }

    private static func stamp(_ path: String) -> FileStamp? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = st.st_mtimespec
        #else
        let modified = st.st_mtim
        #endif
        return FileStamp(
            inode: UInt64(st.st_ino),
            size: Int64(st.st_size),
            seconds: Int(modified.tv_sec),
            nanoseconds: Int(modified.tv_nsec)
        )
    }
}
