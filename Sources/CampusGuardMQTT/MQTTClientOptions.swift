/// How one client connects: identity, session, credentials, TLS and reconnect pacing.
public struct MQTTClientOptions: Sendable, Hashable, CustomStringConvertible {
    public var endpoint: BrokerEndpoint
    /// Stable across restarts, so that the broker keeps the session and queues QoS 1 messages.
    public var clientID: String
    /// Off: a persistent session (the broker remembers subscriptions and queued messages).
    public var cleanSession: Bool
    public var keepAliveSeconds: Int
    public var username: String?
    /// Kept out of `description` and logs.
    public var password: String?
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    /// Reconnect backoff: doubles from the first delay up to the cap.
    public var reconnectDelay: Duration
    public var reconnectDelayMax: Duration

    public init(
        endpoint: BrokerEndpoint,
        clientID: String,
        cleanSession: Bool = false,
        keepAliveSeconds: Int = 30,
        username: String? = nil,
        password: String? = nil,
        caFile: String? = nil,
        certFile: String? = nil,
        keyFile: String? = nil,
        reconnectDelay: Duration = .seconds(1),
        reconnectDelayMax: Duration = .seconds(30)
    ) {
        self.endpoint = endpoint
        self.clientID = clientID
        self.cleanSession = cleanSession
        self.keepAliveSeconds = keepAliveSeconds
        self.username = username
        self.password = password
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
        self.reconnectDelay = reconnectDelay
        self.reconnectDelayMax = reconnectDelayMax
    }

    /// For logs: never the password.
    public var description: String {
        var parts = ["\(endpoint)", "client_id=\(clientID)", "clean_session=\(cleanSession)"]
        if let username { parts.append("username=\(username)") }
        if password != nil { parts.append("password=<set>") }
        if let caFile { parts.append("ca_file=\(caFile)") }
        if let certFile { parts.append("cert_file=\(certFile)") }
        return parts.joined(separator: " ")
    }
}

/// One message as the broker delivered it, copied out of libmosquitto's buffer.
public struct MQTTMessage: Sendable, Hashable {
    public var topic: String
    public var payload: [UInt8]
    public var qos: Int32
    /// A retained message: the broker's stored copy, possibly old.
    public var retained: Bool
    /// The broker's message id for this client (QoS 1 and 2; kept when the broker delivers again).
    public var mid: Int32

    public init(topic: String, payload: [UInt8], qos: Int32 = 1, retained: Bool = false, mid: Int32 = 0) {
        self.topic = topic
        self.payload = payload
        self.qos = qos
        self.retained = retained
        self.mid = mid
    }

    /// Identifies the message across a redelivery by the broker: FNV-1a over the broker id, the
    /// message id, the topic and the payload. Nil for QoS 0 (no message id, never redelivered).
    public func redeliveryKey(broker: String) -> UInt64? {
        guard qos > 0 else { return nil }
        var h: UInt64 = 14_695_981_039_346_656_037
        func mix(_ b: UInt8) {
            h ^= UInt64(b)
            h &*= 1_099_511_628_211
        }
        for b in broker.utf8 { mix(b) }
        mix(0)
        mix(UInt8(truncatingIfNeeded: mid))
        mix(UInt8(truncatingIfNeeded: mid >> 8))
        for b in topic.utf8 { mix(b) }
        mix(0)
        for b in payload { mix(b) }
        return h
    }
}

/// What happens on a client's connection; delivered on its network thread, so handlers must not block.
public enum MQTTClientEvent: Sendable, Hashable {
    case connected(sessionPresent: Bool)
    /// The broker answered the CONNECT with a refusal (bad credentials, not authorised).
    case refused(code: Int32, reason: String)
    /// The TCP/TLS connection could not be made, or was lost.
    case connectionFailed(MQTTError)
    case disconnected(MQTTError)
    case message(MQTTMessage)
    /// A QoS 1 publish of ours was acknowledged by the broker (PUBACK).
    case published(messageID: Int32)
}
