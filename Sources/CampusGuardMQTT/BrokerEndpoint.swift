import Foundation

/// Where a broker listens: `mqtt://HOST[:PORT]` (1883) or `mqtts://HOST[:PORT]` (8883, TLS).
public struct BrokerEndpoint: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var tls: Bool

    public init(host: String, port: Int, tls: Bool) {
        self.host = host
        self.port = port
        self.tls = tls
    }

    /// Nil for anything but an mqtt:// or mqtts:// URL with a host.
    public init?(url: String) {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(), let host = c.host, !host.isEmpty
        else { return nil }
        switch scheme {
        case "mqtt": tls = false
        case "mqtts": tls = true
        default: return nil
        }
        self.host = host
        self.port = c.port ?? (tls ? 8883 : 1883)
    }

    public var description: String { "\(tls ? "mqtts" : "mqtt")://\(host):\(port)" }
}
