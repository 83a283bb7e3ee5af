import CampusGuardCore

/// A WeCom (企业微信) group robot: a markdown message. Not signed: the robot's key is in the URL.
/// It answers HTTP 200 with `{"errcode":0,"errmsg":"ok"}`.
public struct WeComFormat: ReceiverFormat {
    /// The robot's webhook URL, `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`.
    public let url: String
    public let language: SiteConfig.DeliveryChannel.Language

    // WeCom's markdown content is limited to 4096 bytes.
    static let textLimit = 4096
    // 45009: the robot's rate limit (20 messages a minute).
    static let answer = RobotAnswer(robot: "WeCom", codeKeys: ["errcode"], messageKeys: ["errmsg"], busyCodes: [45009])

    public init(url: String, language: SiteConfig.DeliveryChannel.Language = .zh) {
        self.url = url
        self.language = language
    }

    struct Body: Encodable {
        struct Markdown: Encodable {
            var content: String
        }
        var msgtype = "markdown"
        var markdown: Markdown
    }

    public func body(for notice: StaffNotice) -> [UInt8] {
        let text = StaffMessage(notice, language: language).markdown(heading: true)
        return CompactJSON.encode(Body(markdown: .init(content: text.truncated(toUTF8Bytes: Self.textLimit))))
    }

    public func request(for notice: StaffNotice, at now: Instant) -> StaffRequest {
        StaffRequest(url: url, headers: ["Content-Type": "application/json"], body: body(for: notice))
    }

    public func refusal(inAnswer body: [UInt8]) -> DeliveryOutcome? { Self.answer.refusal(body) }
}
