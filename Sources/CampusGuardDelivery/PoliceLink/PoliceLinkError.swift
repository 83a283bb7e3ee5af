/// Why the police link could not do something, with the errno of a failed socket call where
/// there is one.
public struct PoliceLinkError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The link's settings or key file are unusable.
        case configuration
        /// Bytes that are not a DC-09 message (bad CRC, length, layout, or a wrong key).
        case malformed
        /// A receiver answered DUH: it cannot process this message, and sending it again will not help.
        case rejected
        /// No receiver acknowledged the message after every attempt.
        case undelivered
        /// The link was stopped before the message was acknowledged.
        case stopped
        /// A socket call failed (connect, write, read).
        case connection
    }

    public var kind: Kind
    public var message: String
    /// The errno of a failed socket call, else 0.
    public var code: Int32

    public init(_ kind: Kind, _ message: String, code: Int32 = 0) {
        self.kind = kind
        self.message = message
        self.code = code
    }

    public var description: String {
        code == 0 ? "\(message) (\(kind.rawValue))" : "\(message) (\(kind.rawValue), errno \(code))"
    }
}
