/// One Contact ID (ADM-CID) event: `QEEE GG ZZZ`, e.g. `1120 01 003`, a panic in group 01,
/// zone 003. The mapping from campusguard's alarms is in `ContactIDEvent+Mapping.swift` and
/// docs/police-link.md.
public struct ContactIDEvent: Sendable, Hashable, CustomStringConvertible {
    /// Q: a new event or the end of one.
    public enum Qualifier: Int, Sendable, Hashable {
        case new = 1
        case restore = 3
    }

    public var qualifier: Qualifier
    /// EEE, 0–999.
    public var code: Int
    /// GG (partition), 0–99; 0: the whole site.
    public var group: Int
    /// ZZZ, 0–999; 0: the whole group (a fault of a building, a bridge or a bus).
    public var zone: Int

    /// Values are clamped to their fields, so that the message stays well-formed whatever comes in.
    public init(_ qualifier: Qualifier, code: Int, group: Int, zone: Int) {
        self.qualifier = qualifier
        self.code = min(max(code, 0), 999)
        self.group = min(max(group, 0), 99)
        self.zone = min(max(zone, 0), 999)
    }

    /// `QEEE GG ZZZ`.
    public var text: String {
        "\(qualifier.rawValue)\(Self.digits(code, 3)) \(Self.digits(group, 2)) \(Self.digits(zone, 3))"
    }

    /// The data of an ADM-CID message: `#ACCT|QEEE GG ZZZ`.
    public func data(account: String) -> String { "#\(account)|\(text)" }

    public var description: String { text }

    /// Fire, panic, gas and other alarms (1xx) before troubles (3xx): what a full queue sends first.
    public var isAlarm: Bool { code < 200 }

    static func digits(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
