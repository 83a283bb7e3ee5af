import CampusGuardCore
import Crypto

/// The signature of a generic webhook: `X-CampusGuard-Signature: t=<unix seconds>,v1=<hex>`,
/// where hex is the lowercase HMAC-SHA256, keyed with the channel's secret, of `"<t>.<raw body>"`.
///
/// Signing the time with the body lets a receiver refuse replays of an old request; several
/// `v1=` entries may stand in one header (a receiver accepts any), for rotating a secret.
public enum WebhookSignature {
    public static let header = "X-CampusGuard-Signature"

    /// The header's value for `body` sent at `timestamp` (unix seconds).
    public static func sign(body: some Collection<UInt8>, secret: SigningSecret, timestamp: Int64) -> String {
        "t=\(timestamp),v1=" + Hex.string(mac(body: body, secret: secret, timestamp: timestamp))
    }

    /// Checks a received header against the raw body, as a receiver does: throws
    /// `signatureMalformed`, `signatureOutsideTolerance` or `signatureMismatch`.
    ///
    /// - Parameters:
    ///   - now: the receiver's clock, unix seconds.
    ///   - tolerance: how far (either way) the signed time may be from `now`; 5 minutes by default.
    public static func verify(
        header: String,
        body: some Collection<UInt8>,
        secret: SigningSecret,
        now: Int64,
        tolerance: Int64 = 300
    ) throws(DeliveryError) {
        var timestamp: Int64? = nil
        var candidates: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw .signatureMalformed }
            let key = pair[0].trimmingPrefix(" ")
            switch key {
            case "t":
                guard timestamp == nil, let t = Int64(pair[1]) else { throw .signatureMalformed }
                timestamp = t
            case "v1":
                guard let mac = Hex.bytes(pair[1].utf8), mac.count == SHA256.byteCount else {
                    throw .signatureMalformed
                }
                candidates.append(mac)
            default:
                continue  // later schemes (v2=…) are for later receivers
            }
        }
        guard let timestamp, !candidates.isEmpty else { throw .signatureMalformed }
        guard abs(now - timestamp) <= tolerance else {
            throw .signatureOutsideTolerance(timestamp: timestamp, now: now)
        }
        let key = SymmetricKey(data: secret.bytes)
        let message = signedText(body: body, timestamp: timestamp)
        // isValidAuthenticationCode compares in constant time.
        guard
            candidates.contains(where: {
                HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: message, using: key)
            })
        else { throw .signatureMismatch }
    }

    static func mac(body: some Collection<UInt8>, secret: SigningSecret, timestamp: Int64) -> [UInt8] {
        let code = HMAC<SHA256>.authenticationCode(
            for: signedText(body: body, timestamp: timestamp),
            using: SymmetricKey(data: secret.bytes)
        )
        return Array(code)
    }

    private static func signedText(body: some Collection<UInt8>, timestamp: Int64) -> [UInt8] {
        var text = Array("\(timestamp).".utf8)
        text.append(contentsOf: body)
        return text
    }
}
