import GRDB

/// Why the store could not do something: the SQLite result code and its text, and what was being done.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// What the store was doing: `opening /var/lib/campusguard/campusguard.sqlite`, `writing 500 readings`.
    public var operation: String
    /// The SQLite (extended) result code, when SQLite gave one.
    public var code: Int32?
    public var message: String

    public init(operation: String, code: Int32? = nil, message: String) {
        self.operation = operation
        self.code = code
        self.message = message
    }

    /// Wraps any error thrown by GRDB or the file system.
    static func wrapping(_ error: any Error, _ operation: String) -> StoreError {
        if let e = error as? StoreError { return e }
        if let e = error as? DatabaseError {
            return StoreError(
                operation: operation,
                code: e.extendedResultCode.rawValue,
                message: e.message ?? "\(e.resultCode)"
            )
        }
        return StoreError(operation: operation, message: "\(error)")
    }

    /// The condition in one word, for health and metrics: `disk_full`, `read_only`, `corrupt`, `io`, `error`.
    public var condition: String {
        guard let code else { return "error" }
        switch code & 0xFF {
        case 13: return "disk_full"  // SQLITE_FULL
        case 8: return "read_only"  // SQLITE_READONLY
        case 11, 26: return "corrupt"  // SQLITE_CORRUPT, SQLITE_NOTADB
        case 10, 14: return "io"  // SQLITE_IOERR, SQLITE_CANTOPEN
        default: return "error"
        }
    }

    public var description: String {
        let c = code.map { " (SQLite \($0))" } ?? ""
        return "\(operation): \(message)\(c)"
    }
}
