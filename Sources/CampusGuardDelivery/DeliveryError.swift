/// What goes wrong in delivery outside a send: a channel that cannot be set up, and the checks
/// a receiver makes of a webhook signature or an acknowledge link.
///
/// A failed send is not an error: `StaffChannel.deliver` reports it as a `DeliveryOutcome`.
public enum DeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A channel cannot be set up from its config: its secret cannot be read, its URL is unusable.
    case channel(id: String, problem: String)
    /// A signature header that is not `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`.
    case signatureMalformed
    /// The signature's time is further from now than the tolerance: a replay, or a wrong clock.
    case signatureOutsideTolerance(timestamp: Int64, now: Int64)
    /// No `v1` signature matches the body and the secret.
    case signatureMismatch
    /// An acknowledge link without a well-formed alarm id, `exp` and `sig`.
    case linkMalformed
    /// A genuine acknowledge link past its `exp` (unix seconds).
    case linkExpired(expiredAt: Int64)
    /// The link's `sig` does not match its alarm id and `exp`: forged or altered.
    case linkBadSignature
    /// A genuine link, but for another alarm than the one being acknowledged.
    case linkWrongAlarm(link: String, expected: String)

    public var description: String {
        switch self {
        case .channel(let id, let problem): "channel \(id): \(problem)"
        case .signatureMalformed: "the signature header is not t=<unix seconds>,v1=<hex>"
        case .signatureOutsideTolerance(let t, let now): "the signature's time \(t) is too far from now (\(now))"
        case .signatureMismatch: "the signature does not match the body"
        case .linkMalformed: "the acknowledge link is malformed"
        case .linkExpired(let at): "the acknowledge link expired at \(at)"
        case .linkBadSignature: "the acknowledge link's signature does not match"
        case .linkWrongAlarm(let link, let expected): "the acknowledge link is for alarm \(link), not \(expected)"
        }
    }
}
