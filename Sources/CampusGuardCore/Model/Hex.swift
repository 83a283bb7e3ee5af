/// Hexadecimal digits and the bytes they spell: signatures, keys, DC-09 frames.
public enum Hex {
    private static let lower = Array("0123456789abcdef".utf8)
    private static let upper = Array("0123456789ABCDEF".utf8)

    /// The value of one hex digit (either case); nil for any other character.
    public static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The bytes of hex digits (either case); nil for an odd count or any other character.
    public static func bytes(_ digits: some Collection<UInt8>) -> [UInt8]? {
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = digits.startIndex
        while i != digits.endIndex {
            let j = digits.index(after: i)
            guard let hi = nibble(digits[i]), let lo = nibble(digits[j]) else { return nil }
            out.append(hi << 4 | lo)
            i = digits.index(after: j)
        }
        return out
    }

    /// Two digits per byte, lowercase unless `uppercase`.
    public static func digits(_ bytes: some Sequence<UInt8>, uppercase: Bool = false) -> [UInt8] {
        let table = uppercase ? upper : lower
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(table[Int(b >> 4)])
            out.append(table[Int(b & 0x0F)])
        }
        return out
    }

    /// Lowercase hex text.
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        String(decoding: digits(bytes), as: UTF8.self)
    }
}
