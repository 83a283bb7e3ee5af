import CampusGuardConfig
import CampusGuardCore
import Testing

@Suite("Config: delivery channels")
struct ChannelConfigTests {
    static let head = """
        site: {id: demo-school, name: Demo School}
        locations:
          - {id: dorm-a, name: Dormitory A, kind: dormitory}
        devices:
          - {id: dorm-a-301-smoke-1, profile: heiman-hs1sa, location: dorm-a/3/301, topic: zigbee2mqtt/dorm-a-301-smoke-1}
        channels:

        """

    func load(_ channels: String) throws(ConfigError) -> [SiteConfig.DeliveryChannel] {
        try ConfigLoader.load(
            text: Self.head + channels,
            file: "test.yaml",
            directory: RepositoryPaths.root + "/Config"
        )
        .config.channels
    }

    func problems(_ channels: String) -> [String] {
        do {
            _ = try load(channels)
            return []
        } catch {
            return error.diagnostics.map(\.message)
        }
    }

    @Test("every key of every type is read; defaults: language zh, timeout 5s, feishu cards")
    func keys() throws {
        let channels = try load(
            """
              - {id: hook, type: webhook, url: "https://hooks.school.lan/in", secret_file: /etc/campusguard/webhook.secret}
              - {id: ding, type: dingtalk, url: "https://oapi.dingtalk.com/robot/send?access_token=T", secret_credential: dingtalk, language: en, timeout: 2s}
              - {id: wecom, type: wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K", timeout: 500ms}
              - {id: lark, type: feishu, url: "https://open.feishu.cn/open-apis/bot/v2/hook/H", msg_type: text}
            """
        )
        #expect(
            channels == [
                SiteConfig.DeliveryChannel(
                    id: "hook",
                    type: .webhook,
                    url: "https://hooks.school.lan/in",
                    secretFile: "/etc/campusguard/webhook.secret"
                ),
                SiteConfig.DeliveryChannel(
                    id: "ding",
                    type: .dingtalk,
                    url: "https://oapi.dingtalk.com/robot/send?access_token=T",
                    secretCredential: "dingtalk",
                    language: .en,
                    timeout: .seconds(2)
                ),
                SiteConfig.DeliveryChannel(
                    id: "wecom",
                    type: .wecom,
                    url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K",
                    timeout: Interval(milliseconds: 500)
                ),
                SiteConfig.DeliveryChannel(
                    id: "lark",
                    type: .feishu,
                    url: "https://open.feishu.cn/open-apis/bot/v2/hook/H",
                    feishuMessageType: .text
                ),
            ]
        )
    }

    @Test("the example config's channels load")
    func example() throws {
        let loaded = try ConfigLoader.load(file: RepositoryPaths.exampleConfig)
        #expect(loaded.config.channels.map(\.type) == [.webhook, .dingtalk, .wecom])
    }

    @Test(
        "bad entries are reported with what to fix",
        arguments: [
            (
                #"- {id: a, type: slack, url: "https://x/y"}"#,
                "channels[0].type \"slack\" is not one of: webhook, dingtalk, wecom, feishu"
            ),
            (#"- {id: a, type: feishu, url: "ftp://x/y"}"#, "channels[0].url must be an http:// or https:// URL"),
            (
                #"- {id: a, type: feishu, url: "https://x/y", timeout: 2m}"#,
                "channels[0].timeout must be from 100ms to 60s"
            ),
            (
                #"- {id: a, type: feishu, url: "https://x/y", timeout: soon}"#,
                "channels[0].timeout must be a duration such as 500ms, 30s, 5m, 1h or 1h30m"
            ),
            (
                #"- {id: a, type: feishu, url: "https://x/y", language: fr}"#,
                "channels[0].language \"fr\" is not one of: zh, en"
            ),
            (
                #"- {id: a, type: dingtalk, url: "https://x/y?access_token=t", msg_type: text}"#,
                "channels[0].msg_type is for feishu channels only"
            ),
            (
                #"- {id: a, type: webhook, url: "https://x/y"}"#,
                "channels[0]: a webhook channel signs every request: give secret_file or secret_credential"
            ),
            (
                #"- {id: a, type: wecom, url: "https://x/y?key=k", secret_file: /s}"#,
                "channels[0]: WeCom robots are not signed (the key is in the url): remove the secret"
            ),
            (
                #"- {id: a, type: feishu, url: "https://x/y", secret_file: /s, secret_credential: c}"#,
                "channels[0]: give secret_file or secret_credential, not both"
            ),
            (
                #"- {id: a, type: feishu, url: "https://x/y", secret_credential: /etc/c}"#,
                "channels[0].secret_credential is a credential name (LoadCredential=NAME:PATH), not a path"
            ),
            (#"- {id: a, type: feishu, url: "https://x/y", secret: abc}"#, "unknown key channels[0].secret"),
        ]
    )
    func bad(entry: String, message: String) {
        #expect(problems("  " + entry) == [message])
    }

    @Test("a channel id used twice is reported")
    func duplicate() {
        #expect(
            problems(
                """
                  - {id: a, type: feishu, url: "https://x/y"}
                  - {id: a, type: feishu, url: "https://x/z"}
                """
            ) == ["channels[1].id \"a\" is used twice"]
        )
    }
}
