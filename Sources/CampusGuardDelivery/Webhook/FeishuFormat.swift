import CampusGuardCore

/// A Feishu (飞书) custom bot: a card (`interactive`) with a coloured header, or plain `text`;
/// signed in the body when the bot has a secret (its "签名校验" setting). It answers HTTP 200
/// with `{"code":0,"msg":"success"}` (older bots: `{"StatusCode":0,"StatusMessage":"success"}`).
public struct FeishuFormat: ReceiverFormat {
    public typealias MessageType = SiteConfig.DeliveryChannel.FeishuMessageType

    /// The bot's webhook URL, `https://open.feishu.cn/open-apis/bot/v2/hook/…`.
    public let url: String
    public let language: SiteConfig.DeliveryChannel.Language
    public let messageType: MessageType
    let secret: SigningSecret?

    // 9499 "too many request" and 11232 "frequency limited": the bot's rate limits.
    static let answer = RobotAnswer(
        robot: "Feishu",
        codeKeys: ["code", "StatusCode"],
        messageKeys: ["msg", "StatusMessage"],
        busyCodes: [9499, 11232]
    )

    public init(
        url: String,
        secret: SigningSecret?,
        language: SiteConfig.DeliveryChannel.Language = .zh,
        messageType: MessageType = .interactive
    ) {
        self.url = url
        self.secret = secret
        self.language = language
        self.messageType = messageType
    }

    struct Body: Encodable {
        var timestamp: String?
        var sign: String?
        var msgType: String
        var content: Content?
        var card: Card?

        enum CodingKeys: String, CodingKey {
            case timestamp, sign
            case msgType = "msg_type"
            case content, card
        }
    }
    struct Content: Encodable {
        var text: String
    }
    struct Card: Encodable {
        struct Config: Encodable {
            var wideScreenMode = true

            enum CodingKeys: String, CodingKey { case wideScreenMode = "wide_screen_mode" }
        }
        struct Header: Encodable {
            var template: String
            var title: Element
        }
        struct Element: Encodable {
            var tag: String
            var content: String
        }
        var config = Config()
        var header: Header
        var elements: [Element]
    }

    public func body(for notice: StaffNotice, at now: Instant) -> [UInt8] {
        let message = StaffMessage(notice, language: language)
        var body = Body(msgType: messageType.rawValue)
        if let secret {
            let seconds = now.millisecondsSinceEpoch / 1000
            body.timestamp = String(seconds)
            body.sign = RobotSignature.feishu(timestampSeconds: seconds, secret: secret)
        }
        switch messageType {
        case .text:
            body.content = Content(text: message.plainText)
        case .interactive:
            body.card = Card(
                header: .init(template: Self.colour(notice), title: .init(tag: "plain_text", content: message.title)),
                elements: [.init(tag: "markdown", content: message.markdown(heading: false))]
            )
        }
        return CompactJSON.encode(body)
    }

    /// The card header's colour: red, orange or yellow by severity; blue once acknowledged,
    /// green when over.
    static func colour(_ notice: StaffNotice) -> String {
        switch notice.event.type {
        case .alarmAcknowledged: return "blue"
        case .alarmCleared, .alarmResolved, .faultCleared: return "green"
        default:
            switch notice.severity {
            case .critical: return "red"
            case .major: return "orange"
            case .minor: return "yellow"
            }
        }
    }

    public func request(for notice: StaffNotice, at now: Instant) -> StaffRequest {
        StaffRequest(url: url, headers: ["Content-Type": "application/json"], body: body(for: notice, at: now))
    }

    public func refusal(inAnswer body: [UInt8]) -> DeliveryOutcome? { Self.answer.refusal(body) }
}
