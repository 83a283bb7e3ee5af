import GRDB

/// Why the store could not do something: the SQLite result code and its text, and what was being done.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    /// What the store was doing: `opening /var/lib/campusguard/campusguard.sqlite`, `writing 500 readings`.
    public var operation: String
    /// The SQLite (extended) result code, when SQLite gave one.
    public var code: Int32?
    public var message: String
    /// Set when the store turned a request down because of what it asked (a hazard ticket's
    /// wrong step, a bad photo URL), not because of the disk; `message` says why in plain words.
    public var refusal: Refusal?

    /// What was wrong with a request the store turned down.
    public enum Refusal: Sendable, Hashable {
        /// No hazard ticket with that id.
        case unknownTicket
        /// The step does not follow from the ticket's status (closed loop: found → assigned →
        /// rectified → verified → closed).
        case badTransition
        /// The person verifying a rectification is the one who rectified it.
        case verifierIsRectifier
        /// A field of the request is not valid: its name (`photos`, `note`, `evidence`, …).
        case invalid(field: String)
    }

    public init(operation: String, code: Int32? = nil, message: String, refusal: Refusal? = nil) {
        self.operation = operation
        self.code = code
        self.message = message
        self.refusal = refusal
    }

    static func refused(_ refusal: Refusal, _ message: String) -> StoreError {
        StoreError(operation: "checking the request", message: message, refusal: refusal)
    }

    static func invalid(_ field: String, _ message: String) -> StoreError {
        refused(.invalid(field: field), message)
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
