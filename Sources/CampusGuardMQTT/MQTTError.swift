import CMosquitto

/// Why an MQTT operation failed, with libmosquitto's return code and its text where there is one.
public struct MQTTError: Error, Hashable, Sendable, CustomStringConvertible {
    public var operation: String
    public var code: Int32
    public var message: String

    public init(operation: String, code: Int32, message: String) {
        self.operation = operation
        self.code = code
        self.message = message
    }

    /// From a `MOSQ_ERR_*` return code.
    static func mosquitto(_ operation: String, _ code: Int32) -> MQTTError {
        MQTTError(operation: operation, code: code, message: String(cString: mosquitto_strerror(code)))
    }

    public var description: String { "\(operation): \(message) (code \(code))" }
}
