import CModbus
import Glibc

/// Why a Modbus operation failed, with the errno libmodbus set and its text.
public struct ModbusError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The device did not answer in time.
        case timeout
        /// The device answered with a Modbus exception (illegal address, busy, …).
        case exception
        /// The connection (TCP) or the port (RTU) failed: reconnect.
        case connection
        /// A malformed answer (bad CRC, wrong unit, wrong length).
        case protocolError = "protocol"
    }

    public var operation: String
    public var code: Int32
    public var kind: Kind
    public var message: String

    public init(operation: String, code: Int32, kind: Kind, message: String) {
        self.operation = operation
        self.code = code
        self.kind = kind
        self.message = message
    }

    /// From the errno libmodbus left after a failed call.
    static func last(_ operation: String) -> ModbusError {
        let code = errno
        let base = campusguard_modbus_exception_base()
        let kind: Kind
        if code == ETIMEDOUT {
            kind = .timeout
        } else if code > base && code < base + 12 {
            kind = .exception
        } else if code > base {
            kind = .protocolError
        } else {
            kind = .connection
        }
        return ModbusError(
            operation: operation,
            code: code,
            kind: kind,
            message: String(cString: modbus_strerror(code))
        )
    }

    public var description: String { "\(operation): \(message) (\(kind.rawValue), errno \(code))" }
}
