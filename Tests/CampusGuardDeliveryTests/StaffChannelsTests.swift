import CampusGuardCore
import CampusGuardDelivery
import Foundation
import Testing

@Suite("Channels from the config, and what answers mean")
struct StaffChannelsTests {
    static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("campusguard-channels-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func write(_ name: String, _ text: String) -> String {
        let path = Self.directory.appendingPathComponent(name).path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        return path
    }

    func config(
        _ type: SiteConfig.DeliveryChannel.ChannelType,
        url: String = "https://x.example/hook?access_token=t&key=k"
    )
        -> SiteConfig.DeliveryChannel
    {
        SiteConfig.DeliveryChannel(id: "c1", type: type, url: url)
    }

    @Test("the secret file is read once, without its trailing newline")
    func secretFile() throws {
        var c = config(.webhook)
        c.secretFile = write("webhook.secret", "s3cret\n")
        let secret = try #require(try StaffChannels.readSecret(c, environment: [:]))
        #expect(secret == SigningSecret("s3cret"))
    }

    @Test("a credential is read from systemd's CREDENTIALS_DIRECTORY")
    func credential() throws {
        _ = write("dingtalk", "SECabc")
        var c = config(.dingtalk)
        c.secretCredential = "dingtalk"
        let secret = try StaffChannels.readSecret(c, environment: ["CREDENTIALS_DIRECTORY": Self.directory.path])
        #expect(secret == SigningSecret("SECabc"))
        #expect(throws: DeliveryError.self) { try StaffChannels.readSecret(c, environment: [:]) }
    }

    @Test("a missing or empty secret file is an error that names the file")
    func badSecretFile() {
        var c = config(.webhook)
        c.secretFile = "/nonexistent/webhook.secret"
        #expect(
            throws: DeliveryError.channel(id: "c1", problem: "cannot read the secret file /nonexistent/webhook.secret")
        ) {
            try StaffChannels.readSecret(c, environment: [:])
        }
        c.secretFile = write("empty.secret", "\n")
        #expect(throws: DeliveryError.channel(id: "c1", problem: "the secret file \(c.secretFile!) is empty")) {
            try StaffChannels.readSecret(c, environment: [:])
        }
    }

    @Test("each type gets its format; a webhook without a secret or a non-HTTP URL cannot be set up")
    func formats() throws {
        let secret = SigningSecret("s")
        #expect(try StaffChannels.format(config(.webhook), secret: secret) is SignedWebhookFormat)
        #expect(try StaffChannels.format(config(.dingtalk), secret: nil) is DingTalkFormat)
        #expect(try StaffChannels.format(config(.wecom), secret: nil) is WeComFormat)
        #expect(try StaffChannels.format(config(.feishu), secret: secret) is FeishuFormat)
        #expect(throws: DeliveryError.self) { try StaffChannels.format(config(.webhook), secret: nil) }
        #expect(throws: DeliveryError.self) { try StaffChannels.format(config(.wecom, url: "ftp://x/y"), secret: nil) }
        #expect(throws: DeliveryError.self) { try StaffChannels.format(config(.wecom, url: "https://"), secret: nil) }
    }

    @Test(
        "HTTP answers: 2xx sent, 408/429/5xx retryable, other 4xx rejected",
        arguments: [
            (200, "sent"), (204, "sent"), (301, "rejected"), (400, "rejected"), (401, "rejected"), (404, "rejected"),
            (408, "retryable"), (429, "retryable"), (500, "retryable"), (502, "retryable"), (503, "retryable"),
        ]
    )
    func statuses(status: Int, expected: String) {
        let format = SignedWebhookFormat(url: "https://x/in", secret: SigningSecret("s"))
        let outcome = HTTPStaffChannel.outcome(
            status: status,
            answer: Array("nope".utf8),
            latency: .zero,
            format: format
        )
        switch outcome {
        case .sent(let s, _): #expect(expected == "sent" && s == status)
        case .retryable(let reason): #expect(expected == "retryable" && reason == "HTTP \(status): nope")
        case .rejected(let reason): #expect(expected == "rejected" && reason == "HTTP \(status): nope")
        }
    }

    @Test("robot answers: code 0 is sent; another code is rejected with it; rate limits are retryable")
    func robotCodes() {
        let ding = DingTalkFormat(url: "https://x/robot/send?access_token=t", secret: nil)
        let feishu = FeishuFormat(url: "https://x/hook/h", secret: nil)
        func outcome(_ format: any ReceiverFormat, _ body: String) -> DeliveryOutcome {
            HTTPStaffChannel.outcome(status: 200, answer: Array(body.utf8), latency: .milliseconds(1), format: format)
        }
        #expect(outcome(ding, #"{"errcode":0,"errmsg":"ok"}"#) == .sent(status: 200, latency: .milliseconds(1)))
        #expect(
            outcome(ding, #"{"errcode":310000,"errmsg":"sign not match"}"#)
                == .rejected(reason: "DingTalk errcode 310000: sign not match")
        )
        #expect(
            outcome(ding, #"{"errcode":130101,"errmsg":"send too fast"}"#)
                == .retryable(reason: "DingTalk errcode 130101: send too fast")
        )
        #expect(
            outcome(WeComFormat(url: "https://x/send?key=k"), #"{"errcode":45009,"errmsg":"freq"}"#).isSent == false
        )
        #expect(outcome(feishu, #"{"code":0,"msg":"success","data":{}}"#).isSent)
        #expect(outcome(feishu, #"{"StatusCode":0,"StatusMessage":"success"}"#).isSent)
        #expect(
            outcome(feishu, #"{"code":19021,"msg":"sign match fail"}"#)
                == .rejected(reason: "Feishu code 19021: sign match fail")
        )
        #expect(
            outcome(ding, "<html>captive portal</html>")
                == .rejected(reason: "DingTalk answered without a code: <html>captive portal</html>")
        )
        #expect(outcome(ding, "") == .rejected(reason: "DingTalk answered without a code: (empty body)"))
    }
}
