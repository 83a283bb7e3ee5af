import Foundation

/// The text forms signatures travel in (hex is `Hex`, in Core).
enum Encoding {
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
