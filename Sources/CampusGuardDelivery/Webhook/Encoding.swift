import Foundation

/// The text forms signatures travel in.
enum Encoding {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hex.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes of a hex string (either case); nil for odd lengths and other characters.
    static func bytes(hex text: Substring) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func base64(_ bytes: some Sequence<UInt8>) -> String { Data(bytes).base64EncodedString() }

    // RFC 3986's unreserved characters: what Java's URLEncoder and Python's quote_plus leave as
    // they are in a base64 string; `+`, `/` and `=` become %2B, %2F and %3D.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )

    /// Percent-encodes everything but the unreserved characters, for a query value or path segment.
    static func percent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// `url` with `name=value` pairs appended to its query (the values already encoded).
    static func appendingQuery(_ url: String, _ pairs: [(String, String)]) -> String {
        let joined = pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        guard !joined.isEmpty else { return url }
        if url.hasSuffix("?") || url.hasSuffix("&") { return url + joined }
        return url + (url.contains("?") ? "&" : "?") + joined
    }
}
