import CampusGuardCore
import Foundation
import Yams

/// A validated config with its devices resolved against their profiles.
public struct LoadedConfig: Sendable {
    public let file: String
    public let config: SiteConfig
    public let campus: Campus
}

/// Reads `campusguard.yaml`, reporting every problem at once as `FILE:LINE:COLUMN: message`.
public enum ConfigLoader {
    public static func load(file: String) throws(ConfigError) -> LoadedConfig {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ConfigError([ConfigDiagnostic(file: file, line: 1, column: 1, message: "cannot read the config file")]
            )
        }
        let directory = (file as NSString).deletingLastPathComponent
        return try load(text: text, file: file, directory: directory.isEmpty ? "." : directory)
    }

    /// Loads config text; `directory` anchors relative paths (profile directories).
    public static func load(text: String, file: String, directory: String) throws(ConfigError) -> LoadedConfig {
        let log = DiagnosticLog()
        guard let root = YAMLDocument.load(text: text, file: file, log: log),
            var r = MappingReader(root, file: file, path: "", log: log)
        else { throw ConfigError(log.diagnostics) }
        var reader = SiteReader(directory: directory)
        let config = reader.read(&r)
        r.finish()
        guard log.diagnostics.isEmpty, let config else {
            throw ConfigError(log.diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        do {
            let campus = try Campus(config: config, profiles: reader.profiles)
            return LoadedConfig(file: file, config: config, campus: campus)
        } catch {
            // SiteReader checks all of this with positions first; reaching here is a bug, still reported.
            throw ConfigError(error.problems.map { ConfigDiagnostic(file: file, line: 1, column: 1, message: $0) })
        }
    }
}
