import Foundation

/// Paths inside this repository, found from this file's location.
enum RepositoryPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let profiles = root + "/DeviceProfiles"
    static let fixtures = root + "/Tests/Fixtures/profiles"
    static let exampleConfig = root + "/Config/campusguard.example.yaml"
}
