import CampusGuardCore
import Foundation
import Yams

/// Collects diagnostics while a file is read, so that every problem is reported at once.
final class DiagnosticLog {
    private(set) var diagnostics: [ConfigDiagnostic] = []

    func report(_ file: String, _ node: Node?, _ message: String) {
        let mark = node?.mark
        diagnostics.append(
            ConfigDiagnostic(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message)
        )
    }

    func append(_ d: ConfigDiagnostic) { diagnostics.append(d) }
}

/// Reads one YAML mapping key by key, reporting wrong types and, at `finish()`, unknown keys.
struct MappingReader {
    let file: String
    let node: Node
    let path: String
    let log: DiagnosticLog
    private let pairs: [(key: String, keyNode: Node, value: Node)]
    private var used: Set<String> = []

    /// Nil (with a diagnostic) when `node` is not a mapping.
    init?(_ node: Node, file: String, path: String, log: DiagnosticLog) {
        guard let mapping = node.mapping else {
            log.report(file, node, "\(path.isEmpty ? "the document" : path) must be a mapping of keys to values")
            return nil
        }
        self.file = file
        self.node = node
        self.path = path
        self.log = log
        self.pairs = mapping.map { (key: $0.key.string ?? "", keyNode: $0.key, value: $0.value) }
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    mutating func value(_ key: String) -> Node? {
        used.insert(key)
        return pairs.first { $0.key == key }?.value
    }

    var keys: [String] { pairs.map(\.key) }

    func report(_ node: Node?, _ message: String) { log.report(file, node ?? self.node, message) }

    mutating func required(_ key: String) -> Node? {
        guard let v = value(key) else {
            report(node, "\(name(key)) is required")
            return nil
        }
        return v
    }

    mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let v = required ? self.required(key) : value(key) else { return nil }
        guard let s = v.scalar?.string, !s.isEmpty else {
            report(v, "\(name(key)) must be a non-empty string")
            return nil
        }
        return s
    }

    mutating func identifier(_ key: String, required: Bool = false) -> String? {
        guard let s = string(key, required: required) else { return nil }
        guard Self.isIdentifier(s) else {
            report(value(key), "\(name(key)) \"\(s)\" may hold only letters, digits, '-', '_' and '.'")
            return nil
        }
        return s
    }

    static func isIdentifier(_ s: String) -> Bool {
        !s.isEmpty
            && s.unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
            }
    }

    mutating func int(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let v = required ? self.required(key) : value(key) else { return nil }
        guard let s = v.scalar?.string, let n = Self.parseInt(s), range.contains(n) else {
            report(v, "\(name(key)) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return n
    }

    static func parseInt(_ s: String) -> Int? {
        if s.hasPrefix("0x") || s.hasPrefix("0X") { return Int(s.dropFirst(2), radix: 16) }
        return Int(s)
    }

    mutating func double(_ key: String, required: Bool = false) -> Double? {
        guard let v = required ? self.required(key) : value(key) else { return nil }
        guard let s = v.scalar?.string, let d = Double(s), d.isFinite else {
            report(v, "\(name(key)) must be a number")
            return nil
        }
        return d
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let v = value(key) else { return nil }
        switch v.scalar?.string.lowercased() {
        case "true": return true
        case "false": return false
        default:
            report(v, "\(name(key)) must be true or false")
            return nil
        }
    }

    mutating func duration(_ key: String) -> Interval? {
        guard let v = value(key) else { return nil }
        guard let s = v.scalar?.string, let d = Interval(parsing: s), d.milliseconds >= 0 else {
            report(v, "\(name(key)) must be a duration such as 500ms, 30s, 5m, 1h or 1h30m")
            return nil
        }
        return d
    }

    /// A size such as `2GiB`, `500MiB`, `64KiB` or a plain number of bytes.
    mutating func byteSize(_ key: String) -> Int64? {
        guard let v = value(key) else { return nil }
        let text = v.scalar?.string.trimmingCharacters(in: .whitespaces) ?? ""
        let units: [(String, Int64)] = [
            ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("GB", 1_000_000_000),
            ("MB", 1_000_000), ("KB", 1_000), ("B", 1),
        ]
        var number = Substring(text)
        var factor: Int64 = 1
        for (suffix, f) in units where text.hasSuffix(suffix) {
            number = text.dropLast(suffix.count)
            factor = f
            break
        }
        guard let n = Double(number.trimmingCharacters(in: .whitespaces)), n.isFinite, n > 0,
            n * Double(factor) < 9e18
        else {
            report(v, "\(name(key)) must be a size such as 2GiB, 500MiB or 1048576")
            return nil
        }
        return Int64(n * Double(factor))
    }

    mutating func oneOf<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, required: Bool = false) -> E?
    where E.RawValue == String {
        guard let s = string(key, required: required) else { return nil }
        guard let e = E(rawValue: s) else {
            report(
                value(key),
                "\(name(key)) \"\(s)\" is not one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))"
            )
            return nil
        }
        return e
    }

    mutating func mapping(_ key: String, required: Bool = false) -> MappingReader? {
        guard let v = required ? self.required(key) : value(key) else { return nil }
        return MappingReader(v, file: file, path: name(key), log: log)
    }

    mutating func sequence(_ key: String) -> [Node]? {
        guard let v = value(key) else { return nil }
        guard let s = v.sequence else {
            report(v, "\(name(key)) must be a list")
            return nil
        }
        return Array(s)
    }

    /// Every key of the mapping with its node, for maps keyed by the user (`channels`, `thresholds`).
    mutating func entries(_ key: String) -> [(key: String, keyNode: Node, value: Node)]? {
        guard let v = value(key) else { return nil }
        guard let m = v.mapping else {
            report(v, "\(name(key)) must be a mapping")
            return nil
        }
        return m.map { (key: $0.key.string ?? "", keyNode: $0.key, value: $0.value) }
    }

    /// Reports the keys nobody asked for: a typo must not silently turn a setting off.
    func finish() {
        for p in pairs where !used.contains(p.key) {
            log.report(file, p.keyNode, "unknown key \(name(p.key))")
        }
    }
}

/// Parses a YAML file into its root node, turning Yams' errors into diagnostics.
enum YAMLDocument {
    static func load(text: String, file: String, log: DiagnosticLog) -> Node? {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                log.append(ConfigDiagnostic(file: file, line: 1, column: 1, message: "the file is empty"))
                return nil
            }
            return node
        } catch let error as YamlError {
            log.append(diagnostic(error, file: file))
            return nil
        } catch {
            log.append(ConfigDiagnostic(file: file, line: 1, column: 1, message: "cannot parse YAML: \(error)"))
            return nil
        }
    }

    private static func diagnostic(_ error: YamlError, file: String) -> ConfigDiagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return ConfigDiagnostic(
                file: file,
                line: mark.line,
                column: mark.column,
                message: "invalid YAML: \(prefix)\(problem)"
            )
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigDiagnostic(
                file: file,
                line: context.mark.line,
                column: context.mark.column,
                message: "duplicate key \(duplicates.joined(separator: ", "))"
            )
        default:
            return ConfigDiagnostic(file: file, line: 1, column: 1, message: "invalid YAML: \(error)")
        }
    }
}
