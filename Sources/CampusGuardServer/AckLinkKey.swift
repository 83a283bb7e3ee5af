import CampusGuardCore
import Crypto
import Foundation

/// The secret that signs acknowledge links, and the check of a link.
///
/// A link is `<public_url>/ack/<alarm id>?exp=<unix seconds>&sig=<hex>`, where `sig` is the
/// lower-case hex HMAC-SHA256 under this key of `"<alarm id>.<exp>"`. The signature is the
/// credential: whoever has the link (the duty staff it was sent to) may acknowledge that alarm
/// until `exp`.
public struct AckLinkKey: Sendable {
    // The bytes rather than a `SymmetricKey`, which is not `Sendable` in this swift-crypto.
    private let secret: Data

    /// What a link's signature and expiry say.
    public enum Verdict: Sendable, Hashable {
        case valid
        /// Well signed, but past its `exp`.
        case expired
        /// Missing, malformed or wrong signature: not a link this gateway made.
        case invalid
    }

    public init(secret: some Sequence<UInt8>) {
        self.secret = Data(secret)
    }

    /// The key's bytes, for the part of the daemon that makes the links (delivery).
    public var bytes: [UInt8] { Array(secret) }

    /// Reads the key from a file: hex digits (at least 32, even count) are the key's bytes;
    /// anything else is the key as it is, without surrounding white space. At least 16 bytes.
    public init(file path: String) throws(ServerError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .setting("cannot read api.ack_link_key_file \(path)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let secret: Data
        if text.utf8.count >= 32, text.utf8.count % 2 == 0, let bytes = Hex.bytes(text.utf8) {
            secret = Data(bytes)
        } else {
            secret = Data(text.utf8)
        }
        guard secret.count >= 16 else {
            throw .setting("api.ack_link_key_file \(path) holds fewer than 16 bytes; use e.g. `openssl rand -hex 32`")
        }
        self.init(secret: secret)
    }

    /// Checks a link's `exp` and `sig` for `alarm` at `now`. The signature is compared in
    /// constant time.
    public func check(alarm: String, exp: String?, sig: String?, now: Instant) -> Verdict {
        guard let exp, !exp.isEmpty, exp.utf8.count <= 12, exp.allSatisfy(\.isASCII), let expires = Int64(exp),
            let sig, sig.utf8.count == 64, let mac = Hex.bytes(sig.utf8)
        else { return .invalid }
        let message = Data("\(alarm).\(exp)".utf8)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: message, using: SymmetricKey(data: secret))
        else { return .invalid }
        return now.millisecondsSinceEpoch / 1000 <= expires ? .valid : .expired
    }
}
