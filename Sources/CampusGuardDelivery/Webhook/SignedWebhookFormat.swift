import CampusGuardCore

/// The generic webhook: the event's JSON line with a `notice` object added, signed with HMAC-SHA256
/// (see `WebhookSignature` and docs/webhooks.md). Any 2xx answer means it was taken.
public struct SignedWebhookFormat: ReceiverFormat {
    public static let eventHeader = "X-CampusGuard-Event"
    public static let deliveryHeader = "X-CampusGuard-Delivery"

    public let url: String
    public let language: SiteConfig.DeliveryChannel.Language
    let secret: SigningSecret

    public init(url: String, secret: SigningSecret, language: SiteConfig.DeliveryChannel.Language = .zh) {
        self.url = url
        self.secret = secret
        self.language = language
    }

    /// `{…the event's fields…,"notice":{…}}`: the event exactly as docs/events.md writes it.
    public func body(for notice: StaffNotice) -> [UInt8] {
        var line = Array(notice.event.jsonLine.utf8)
        line.removeLast()  // the closing brace: the line is always one JSON object
        line.append(contentsOf: #","notice":"#.utf8)
        line.append(contentsOf: CompactJSON.encode(NoticeDocument(notice, language: language)))
        line.append(UInt8(ascii: "}"))
        return line
    }

    public func request(for notice: StaffNotice, at now: Instant) -> StaffRequest {
        let body = body(for: notice)
        let seconds = now.millisecondsSinceEpoch / 1000
        return StaffRequest(
            url: url,
            headers: [
                "Content-Type": "application/json",
                WebhookSignature.header: WebhookSignature.sign(body: body, secret: secret, timestamp: seconds),
                Self.eventHeader: notice.event.type.rawValue,
                Self.deliveryHeader: notice.deliveryID,
            ],
            body: body
        )
    }

    public func refusal(inAnswer body: [UInt8]) -> DeliveryOutcome? { nil }
}
