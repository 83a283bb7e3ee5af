import CampusGuardCore
import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The tokens file (`api.tokens_file`): one `NAME ROLE SHA256HEX` line per API token, `#`
/// starts a comment. It holds only the tokens' SHA-256, never a token.
public enum TokenFile {
    /// A valid line: a token's holder, role and the lower-case hex SHA-256 of the token.
    public struct Entry: Sendable, Hashable {
        public var token: APIToken
        public var hash: String
    }

    /// A line that is not a valid entry: its number and what is wrong (never its text, which
    /// might be a token pasted by mistake).
    public struct Problem: Sendable, Hashable {
        public var line: Int
        public var reason: String
    }

    /// The entries and the problems of a file's text.
    public static func parse(_ text: String) -> (entries: [Entry], problems: [Problem]) {
        var entries: [Entry] = []
        var problems: [Problem] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.prefix { $0 != "#" }
            let fields = line.split(whereSeparator: \.isWhitespace)
            if fields.isEmpty { continue }
            guard fields.count == 3 else {
                problems.append(
                    Problem(line: index + 1, reason: "expected NAME ROLE SHA256HEX, found \(fields.count) fields")
                )
                continue
            }
            guard let role = APIRole(rawValue: String(fields[1])) else {
                let roles = APIRole.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(Problem(line: index + 1, reason: "the role must be one of \(roles)"))
                continue
            }
            let hash = fields[2].lowercased()
            guard hash.utf8.count == 64, hash.allSatisfy(\.isHexDigit) else {
                problems.append(Problem(line: index + 1, reason: "the hash must be 64 hex digits (SHA-256)"))
                continue
            }
            entries.append(Entry(token: APIToken(name: String(fields[0]), role: role), hash: hash))
        }
        return (entries, problems)
    }

    /// The lower-case hex SHA-256 of a token, as the file keeps it.
    public static func hash(_ token: some StringProtocol) -> String {
        Hex.string(SHA256.hash(data: Data(token.utf8)))
    }

    /// A new token: 32 random bytes, base64url without padding (43 characters).
    public static func newToken() -> String {
        let key = SymmetricKey(size: .bits256)
        let base64 = key.withUnsafeBytes { Data($0).base64EncodedString() }
        return String(
            base64.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").prefix {
                $0 != "="
            }
        )
    }

    /// A name is one word of printable characters (letters of any script, digits, `.-_@`…).
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && !name.hasPrefix("#")
            && name.unicodeScalars.allSatisfy {
                !$0.properties.isWhitespace && !CharacterSet.controlCharacters.contains($0)
            }
    }

    /// Makes a token for `name`, appends its line to the file (created with mode 0600 when
    /// missing) and returns the token: the only time it is seen. Refuses a name already there.
    public static func add(name: String, role: APIRole, path: String) throws(ServerError) -> String {
        guard isValidName(name) else {
            throw .setting("the name must be one word without spaces or control characters, at most 64 characters")
        }
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .setting("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // Two `token add` at once must not both take the same name.
        guard flock(fd, LOCK_EX) == 0 else {
            throw .setting("cannot lock \(path): \(String(cString: strerror(errno)))")
        }
        let existing: Data
        do {
            existing = try FileHandle(fileDescriptor: fd, closeOnDealloc: false).readToEnd() ?? Data()
        } catch {
            throw .setting("cannot read \(path): \(error)")
        }
        if existing.isEmpty {
            // A new file: 0600 whatever the umask allowed.
            fchmod(fd, 0o600)
        }
        let text = String(decoding: existing, as: UTF8.self)
        if parse(text).entries.contains(where: { $0.token.name == name }) {
            throw .setting("\(path) already has a token named \(name); remove its line first to replace it")
        }
        let token = newToken()
        let line = (text.isEmpty || text.hasSuffix("\n") ? "" : "\n") + "\(name) \(role.rawValue) \(hash(token))\n"
        let written = line.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        guard written == line.utf8.count, fsync(fd) == 0 else {
            throw .setting("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return token
    }
}
