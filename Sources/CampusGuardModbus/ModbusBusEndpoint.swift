import Foundation

/// Where a Modbus bus is: a TCP server (a device or an RS-485 gateway) or a serial port.
public enum ModbusBusEndpoint: Hashable, Sendable, CustomStringConvertible {
    case tcp(host: String, port: Int)
    case rtu(device: String, baud: Int, parity: Character, dataBits: Int, stopBits: Int)

    /// `tcp://HOST[:PORT]` (port 502 by default) or `rtu:///dev/ttyUSB0?baud=9600&parity=N&data=8&stop=1`.
    public init?(url: String) {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased() else { return nil }
        switch scheme {
        case "tcp":
            guard let host = c.host, !host.isEmpty else { return nil }
            self = .tcp(host: host, port: c.port ?? 502)
        case "rtu":
            guard c.path.hasPrefix("/dev/") else { return nil }
            var baud = 9600
            var parity: Character = "N"
            var data = 8
            var stop = 1
            for item in c.queryItems ?? [] {
                let v = item.value ?? ""
                switch item.name {
                case "baud": baud = Int(v) ?? baud
                case "parity": parity = v.uppercased().first ?? parity
                case "data": data = Int(v) ?? data
                case "stop": stop = Int(v) ?? stop
                default: return nil
                }
            }
            self = .rtu(device: c.path, baud: baud, parity: parity, dataBits: data, stopBits: stop)
        default:
            return nil
        }
    }

    public var isSerial: Bool {
        if case .rtu = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .tcp(let host, let port): "tcp://\(host):\(port)"
        case .rtu(let device, let baud, let parity, let data, let stop):
            "rtu://\(device)?baud=\(baud)&parity=\(parity)&data=\(data)&stop=\(stop)"
        }
    }
}
