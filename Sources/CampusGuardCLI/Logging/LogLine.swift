import CampusGuardCore
import Logging

/// One log entry as one line: `LEVEL message key=value …`, metadata sorted by key, values with
/// spaces or quotes quoted, newlines escaped, values of secret-sounding keys replaced by
/// `<redacted>`. For journald, `<N>` (the syslog priority, sd-daemon(3)) first and no timestamp
/// (journald stamps each line); otherwise an RFC 3339 timestamp first.
enum LogLine {
    static func format(
        level: Logger.Level,
        message: String,
        metadata: Logger.Metadata,
        journal: Bool,
        at time: Instant
    ) -> String {
        var line = journal ? "<\(priority(level))>" : RFC3339.format(time) + " "
        line += level.rawValue.uppercased() + " " + escaped(message)
        for key in metadata.keys.sorted() {
            line += " " + key + "=" + value(metadata[key]!, key: key)
        }
        return line
    }

    /// syslog's priority for a level: 7 debug … 2 critical.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// Key words that mark a value as a secret (`password`, `api_token`, `secretKey`, …).
    static let secretWords: Set<String> = [
        "password", "passwd", "secret", "token", "key", "apikey", "credential", "credentials",
        "authorization", "cookie", "signature", "sign",
    ]

    /// Keys that sound secret but hold none: `api.token` is the token's name (who acted,
    /// docs/api.md), never the token.
    static let notSecret: Set<String> = ["api.token"]

    /// Last words that make a key a reference to a secret, not the secret (`token_name`, `key_file`).
    static let referenceWords: Set<String> = ["name", "id", "file", "path", "count"]

    /// True when a word of the key (split at `.`, `_`, `-` and lower-to-upper case changes) is a
    /// secret word, unless the key ends in a reference word or is known to hold no secret.
    static func isSecret(_ key: String) -> Bool {
        guard !notSecret.contains(key) else { return false }
        var words: [String] = []
        var current = ""
        var previousLower = false
        for c in key {
            if c == "." || c == "_" || c == "-" || c == " " {
                words.append(current)
                current = ""
                previousLower = false
                continue
            }
            if c.isUppercase && previousLower {
                words.append(current)
                current = ""
            }
            previousLower = c.isLowercase
            current += c.lowercased()
        }
        words.append(current)
        if let last = words.last, referenceWords.contains(last) { return false }
        return words.contains { secretWords.contains($0) }
    }

    static func value(_ value: Logger.MetadataValue, key: String) -> String {
        if isSecret(key) { return "<redacted>" }
        return quoted(render(value))
    }

    private static func render(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let items): "[" + items.map(render).joined(separator: ", ") + "]"
        case .dictionary(let d):
            "["
                + d.keys.sorted().map { k in "\(k): " + (isSecret(k) ? "<redacted>" : render(d[k]!)) }
                .joined(separator: ", ") + "]"
        }
    }

    /// Quoted when it has a space, a quote, an `=` or nothing at all; newlines always escaped.
    static func quoted(_ text: String) -> String {
        let plain = !text.isEmpty && !text.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\t" }
        let body = escaped(text, quotes: !plain)
        return plain ? body : "\"" + body + "\""
    }

    static func escaped(_ text: String, quotes: Bool = false) -> String {
        guard text.contains(where: { $0 == "\n" || $0 == "\r" || (quotes && ($0 == "\"" || $0 == "\\")) }) else {
            return text
        }
        var out = ""
        for c in text {
            switch c {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\"" where quotes: out += "\\\""
            case "\\" where quotes: out += "\\\\"
            default: out.append(c)
            }
        }
        return out
    }
}
