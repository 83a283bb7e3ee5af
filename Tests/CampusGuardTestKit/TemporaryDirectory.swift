import Foundation

/// A directory of one test's own under the temporary directory, removed when the object goes
/// away (a suite's property: at the end of each test).
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "test") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("cg-\(label)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Where a test's store lives.
    public var storePath: String { path + "/campusguard.sqlite" }
}
