import CampusGuardCore

/// The DC-09 timestamp field `_HH:MM:SS,MM-DD-YYYY`, always in UTC (the receiver's clock is
/// UTC too, unless it was told otherwise for this account).
enum DC09Timestamp {
    /// `_HH:MM:SS,MM-DD-YYYY` for the whole second of `instant`.
    static func format(_ instant: Instant) -> String {
        let seconds = Int(instant.millisecondsSinceEpoch.dividedRoundingDown(by: 1000))
        let (days, secondOfDay) = seconds.dividedRoundingDown(by: 86_400)
        let (year, month, day) = civil(fromDays: days)
        let (h, m, s) = (secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60)
        return "_\(two(h)):\(two(m)):\(two(s)),\(two(month))-\(two(day))-\(pad(year, 4))"
    }

    /// Parses `_HH:MM:SS,MM-DD-YYYY` (the underscore optional); nil when malformed.
    static func parse(_ text: Substring) -> Instant? {
        var t = text
        if t.first == "_" { t = t.dropFirst() }
        let bytes = Array(t.utf8)
        guard bytes.count == 19, bytes[2] == 0x3A, bytes[5] == 0x3A, bytes[8] == 0x2C, bytes[11] == 0x2D,
            bytes[14] == 0x2D
        else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var n = 0
            for b in bytes[from..<from + count] {
                guard (0x30...0x39).contains(b) else { return nil }
                n = n * 10 + Int(b - 0x30)
            }
            return n
        }
        guard let h = number(0, 2), let m = number(3, 2), let s = number(6, 2), let month = number(9, 2),
            let day = number(12, 2), let year = number(15, 4), h < 24, m < 60, s < 61, (1...12).contains(month),
            (1...31).contains(day)
        else { return nil }
        let seconds = days(fromCivil: year, month, day) * 86_400 + h * 3600 + m * 60 + s
        return Instant(millisecondsSinceEpoch: Int64(seconds) * 1000)
    }

    // Howard Hinnant's days-from-civil algorithms (proleptic Gregorian, no calendar object:
    // no locale or time-zone database can get in the way).
    private static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func days(fromCivil y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func two(_ n: Int) -> String { pad(n, 2) }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

extension BinaryInteger {
    /// Floor division, so that instants before 1970 still format as the right second.
    fileprivate func dividedRoundingDown(by divisor: Self) -> Self {
        let (q, r) = quotientAndRemainder(dividingBy: divisor)
        return r < 0 ? q - 1 : q
    }

    fileprivate func dividedRoundingDown(by divisor: Self) -> (Self, Self) {
        let (q, r) = quotientAndRemainder(dividingBy: divisor)
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }
}
