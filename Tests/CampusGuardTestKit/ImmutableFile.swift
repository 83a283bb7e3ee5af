import Foundation

/// A file nobody may write, root included: the file system's immutable attribute (`chattr +i`).
///
/// Tests run as root here, and root ignores file permissions, so a `chmod 0444` store is still
/// writable. The immutable attribute binds root too (SQLite then fails with SQLITE_READONLY). It
/// needs `chattr` (e2fsprogs) and a file system that keeps the attribute (ext4, xfs, btrfs; not
/// tmpfs or overlayfs): tests check `available` first.
public enum ImmutableFile {
    /// Sets or clears the attribute; false when `chattr` failed.
    @discardableResult
    public static func set(_ path: String, immutable: Bool) -> Bool {
        guard let chattr = try? ChildProcess("/usr/bin/chattr", [immutable ? "+i" : "-i", path]) else {
            return false
        }
        return chattr.wait(timeout: 10) == 0
    }

    /// Whether the attribute can be set on files in the temporary directory, and stops a write there.
    public static let available: Bool = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cg-immutable-\(UUID().uuidString)")
            .path
        guard FileManager.default.createFile(atPath: path, contents: Data("x".utf8)) else { return false }
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard set(path, immutable: true) else { return false }
        defer { set(path, immutable: false) }
        return FileHandle(forWritingAtPath: path) == nil
    }()
}
