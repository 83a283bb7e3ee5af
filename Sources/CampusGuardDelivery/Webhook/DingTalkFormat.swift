import CampusGuardCore

/// A DingTalk (钉钉) group robot: a markdown message, signed in the URL when the robot has a
/// secret (its "加签" setting). It answers HTTP 200 with `{"errcode":0,"errmsg":"ok"}`.
public struct DingTalkFormat: ReceiverFormat {
    /// The robot's webhook URL, `https://oapi.dingtalk.com/robot/send?access_token=…`.
    public let url: String
    public let language: SiteConfig.DeliveryChannel.Language
    let secret: SigningSecret?

    // DingTalk takes about 20000 bytes of markdown; a notice is far smaller unless names are huge.
    static let textLimit = 18_000
    // 130101: "send too fast, exceed 20 times per minute".
    static let answer = RobotAnswer(
        robot: "DingTalk",
        codeKeys: ["errcode"],
        messageKeys: ["errmsg"],
        busyCodes: [130_101]
    )

    public init(url: String, secret: SigningSecret?, language: SiteConfig.DeliveryChannel.Language = .zh) {
        self.url = url
        self.secret = secret
        self.language = language
    }

    struct Body: Encodable {
        struct Markdown: Encodable {
            var title, text: String
        }
        var msgtype = "markdown"
        var markdown: Markdown
    }

    public func body(for notice: StaffNotice) -> [UInt8] {
        let message = StaffMessage(notice, language: language)
        // DingTalk's markdown breaks lines only at a blank line.
        let text = message.markdown(heading: true, lineBreak: "\n\n").truncated(toUTF8Bytes: Self.textLimit)
        return CompactJSON.encode(Body(markdown: .init(title: message.title, text: text)))
    }

    public func request(for notice: StaffNotice, at now: Instant) -> StaffRequest {
        var url = self.url
        if let secret {
            let ms = now.millisecondsSinceEpoch
            let sign = RobotSignature.dingTalk(timestampMilliseconds: ms, secret: secret)
            url = Encoding.appendingQuery(url, [("timestamp", String(ms)), ("sign", Encoding.percent(sign))])
        }
        return StaffRequest(url: url, headers: ["Content-Type": "application/json"], body: body(for: notice))
    }

    public func refusal(inAnswer body: [UInt8]) -> DeliveryOutcome? { Self.answer.refusal(body) }
}
