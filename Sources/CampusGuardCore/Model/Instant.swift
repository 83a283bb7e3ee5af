/// A point in time as milliseconds since the Unix epoch (UTC).
///
/// The engine never reads a clock: every instant it sees is passed in, which keeps it
/// deterministic and lets `replay` run a simulated clock through recorded timestamps.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    public init(secondsSinceEpoch: Double) {
        self.millisecondsSinceEpoch = Int64((secondsSinceEpoch * 1000).rounded())
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    public static func + (lhs: Instant, rhs: Interval) -> Instant {
        Instant(millisecondsSinceEpoch: lhs.millisecondsSinceEpoch &+ rhs.milliseconds)
    }

    public static func - (lhs: Instant, rhs: Interval) -> Instant {
        Instant(millisecondsSinceEpoch: lhs.millisecondsSinceEpoch &- rhs.milliseconds)
    }

    public static func - (lhs: Instant, rhs: Instant) -> Interval {
        Interval(milliseconds: lhs.millisecondsSinceEpoch &- rhs.millisecondsSinceEpoch)
    }

    public var description: String { RFC3339.format(self) }
}

/// A span of time in milliseconds, as written in config durations (`30s`, `5m`, `1h`).
public struct Interval: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public static func seconds(_ s: Int64) -> Interval { Interval(milliseconds: s * 1000) }
    public static func minutes(_ m: Int64) -> Interval { Interval(milliseconds: m * 60_000) }
    public static func hours(_ h: Int64) -> Interval { Interval(milliseconds: h * 3_600_000) }
    public static let zero = Interval(milliseconds: 0)

    public var seconds: Double { Double(milliseconds) / 1000 }

    public static func < (lhs: Interval, rhs: Interval) -> Bool { lhs.milliseconds < rhs.milliseconds }
    public static func * (lhs: Interval, rhs: Int) -> Interval { Interval(milliseconds: lhs.milliseconds * Int64(rhs)) }
    public static func + (lhs: Interval, rhs: Interval) -> Interval {
        Interval(milliseconds: lhs.milliseconds + rhs.milliseconds)
    }

    /// The duration in the config's notation, largest units first (`1h30m`, `90s`, `250ms`).
    public var description: String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds
        var out = rest < 0 ? "-" : ""
        rest = abs(rest)
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] {
            if rest >= size {
                out += "\(rest / size)\(unit)"
                rest %= size
            }
        }
        return out
    }

    /// Parses `500ms`, `30s`, `5m`, `1h`, `2d` and combinations such as `1h30m`; nil when malformed.
    public init?(parsing text: String) {
        var total: Int64 = 0
        var digits: Int64? = nil
        var chars = Array(text.trimmingWhitespace().utf8)[...]
        guard !chars.isEmpty else { return nil }
        while let c = chars.first {
            if c >= 48 && c <= 57 {
                let (next, overflow) = (digits ?? 0).multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                digits = next + Int64(c - 48)
                chars = chars.dropFirst()
                continue
            }
            guard let n = digits else { return nil }
            let unit: Int64
            if chars.starts(with: "ms".utf8) {
                unit = 1
                chars = chars.dropFirst(2)
            } else {
                switch c {
                case UInt8(ascii: "s"): unit = 1000
                case UInt8(ascii: "m"): unit = 60_000
                case UInt8(ascii: "h"): unit = 3_600_000
                case UInt8(ascii: "d"): unit = 86_400_000
                default: return nil
                }
                chars = chars.dropFirst()
            }
            let (part, overflow) = n.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            total += part
            digits = nil
        }
        guard digits == nil else { return nil }
        self.milliseconds = total
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        var s = self[...]
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}
