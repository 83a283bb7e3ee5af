import CampusGuardCore
import Crypto
import Foundation

/// The link in a staff message that acknowledges an alarm without logging in:
/// `<api base>/ack/<alarm id>?exp=<unix seconds>&sig=<hex HMAC-SHA256(key, "<alarm id>.<exp>")>`.
///
/// Whoever holds the link can acknowledge that one alarm until `exp`, and nothing else; a
/// changed alarm id or time breaks the signature. Pure: the API server verifies with the same key.
public struct AcknowledgeLink: Sendable {
    /// The API's address as staff reach it, e.g. `https://gateway.school.lan:8443`.
    public let baseURL: String
    let key: SigningSecret

    public init(baseURL: String, key: SigningSecret) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.key = key
    }

    /// The link for `alarm`, valid until `expires` (whole seconds, rounded down).
    public func url(alarm: String, expires: Instant) -> String {
        let exp = expires.millisecondsSinceEpoch / 1000
        return "\(baseURL)/ack/\(Encoding.percent(alarm))?exp=\(exp)&sig=\(signature(alarm: alarm, exp: exp))"
    }

    /// Lowercase hex HMAC-SHA256 of `"<alarm>.<exp>"`.
    public func signature(alarm: String, exp: Int64) -> String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: Array("\(alarm).\(exp)".utf8), using: symmetricKey))
    }

    /// Checks a link's parts as a server routes them (`/ack/:alarm?exp=…&sig=…`).
    ///
    /// Throws `linkMalformed`, `linkBadSignature` (forged or altered), `linkWrongAlarm` (a genuine
    /// link of another alarm than `expected`) or `linkExpired`, checked in that order.
    public func verify(
        alarm: String,
        exp: String,
        sig: String,
        expected: String? = nil,
        now: Instant
    ) throws(DeliveryError) {
        guard !alarm.isEmpty, let expires = Int64(exp), let mac = Hex.bytes(sig.utf8),
            mac.count == SHA256.byteCount
        else { throw .linkMalformed }
        // isValidAuthenticationCode compares in constant time.
        guard
            HMAC<SHA256>.isValidAuthenticationCode(
                mac,
                authenticating: Array("\(alarm).\(exp)".utf8),
                using: symmetricKey
            )
        else { throw .linkBadSignature }
        if let expected, expected != alarm { throw .linkWrongAlarm(link: alarm, expected: expected) }
        guard now.millisecondsSinceEpoch / 1000 <= expires else { throw .linkExpired(expiredAt: expires) }
    }

    /// Checks a whole link and returns its alarm id; the same errors as `verify(alarm:exp:sig:expected:now:)`.
    @discardableResult
    public func verify(url: String, expected: String? = nil, now: Instant) throws(DeliveryError) -> String {
        guard let c = URLComponents(string: url),
            let range = c.percentEncodedPath.range(of: "/ack/", options: .backwards)
        else { throw .linkMalformed }
        let encoded = c.percentEncodedPath[range.upperBound...]
        guard !encoded.contains("/"), let alarm = String(encoded).removingPercentEncoding,
            let exp = c.queryItems?.first(where: { $0.name == "exp" })?.value,
            let sig = c.queryItems?.first(where: { $0.name == "sig" })?.value
        else { throw .linkMalformed }
        try verify(alarm: alarm, exp: exp, sig: sig, expected: expected, now: now)
        return alarm
    }

    private var symmetricKey: SymmetricKey { SymmetricKey(data: key.bytes) }
}
