import Foundation

/// Paths of this repository and its built `campusguard` executable, for tests that run it.
public enum Repository {
    /// The repository's root, found from this file's location.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The `campusguard` executable next to the test bundle (`swift build` puts both in the same
    /// directory), else the debug build's.
    public static var executable: String {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("campusguard").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return root + "/.build/debug/campusguard"
    }
}
