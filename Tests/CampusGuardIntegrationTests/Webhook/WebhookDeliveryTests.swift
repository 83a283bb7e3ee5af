import AsyncHTTPClient
import CampusGuardConfig
import CampusGuardCore
import CampusGuardDelivery
import CampusGuardTestKit
import Foundation
import Logging
import Testing

extension IntegrationTests {
    /// The staff channels against a real HTTP receiver: scripts/webhook_sink.py, which also checks
    /// the signatures in Python the way DingTalk, Feishu and a webhook receiver do.
    @Suite("Staff channels against a real HTTP receiver", .serialized, .timeLimit(.minutes(2)))
    struct WebhookDeliveryTests {
        static let secret = "campusguard-integration-secret"

        /// The example school: its buildings have Chinese names and cameras.
        static let campus: Campus = {
            do {
                return try ConfigLoader.load(file: Repository.root + "/Config/campusguard.example.yaml").campus
            } catch {
                fatalError("example config: \(error)")
            }
        }()

        static func notice(_ deliveryID: String = "delivery-1", test: Bool = false) -> StaffNotice {
            let event = Event(
                timestamp: Instant(secondsSinceEpoch: Date().timeIntervalSince1970),
                type: .alarmRaised,
                alarm: "20261120T220000Z-1",
                kind: .fire,
                severity: .critical,
                devices: ["dorm-a-301-smoke-1", "dorm-a-301-smoke-2"],
                location: "dorm-a/3/301",
                test: test,
                reason: "two_smoke_detectors",
                values: [EventValue(device: "dorm-a-301-smoke-1", channel: ChannelID(.smoke), value: .bool(true))]
            )
            return StaffNotice(
                deliveryID: deliveryID,
                event: event,
                campus: campus,
                acknowledgeURL: "https://gw.school.lan/ack/20261120T220000Z-1?exp=1&sig=00"
            )
        }

        /// Runs `body` with a client made for one-attempt delivery, shut down afterwards.
        static func withClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
            let client = HTTPClient(configuration: StaffChannels.clientConfiguration())
            do {
                let result = try await body(client)
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }

        static func channel(
            _ type: SiteConfig.DeliveryChannel.ChannelType,
            url: String,
            client: HTTPClient,
            secret: String? = secret,
            timeout: Interval = .seconds(5),
            feishu: SiteConfig.DeliveryChannel.FeishuMessageType = .interactive
        ) throws -> HTTPStaffChannel {
            let format = try StaffChannels.format(
                SiteConfig.DeliveryChannel(id: type.rawValue, type: type, url: url, feishuMessageType: feishu),
                secret: secret.map(SigningSecret.init)
            )
            return HTTPStaffChannel(
                id: type.rawValue,
                format: format,
                client: client,
                timeout: .milliseconds(timeout.milliseconds),
                logger: .test
            )
        }

        @Test(
            "the generic webhook's signature verifies in Python and with the Swift verifier; its headers name the event and the delivery"
        )
        func generic() async throws {
            let sink = try WebhookSink(verify: "generic", secret: Self.secret)
            let outcome = try await Self.withClient { client in
                try await Self.channel(.webhook, url: sink.url + "/campusguard", client: client).deliver(Self.notice())
            }
            #expect(outcome.isSent)
            let request = try #require(sink.waitForRequests(1).first)
            #expect(request.verified == true, "\(request.verifyError ?? "")")
            #expect(request.method == "POST")
            #expect(request.path == "/campusguard")
            #expect(request.headers["content-type"] == "application/json")
            #expect(request.headers["x-campusguard-event"] == "alarm.raised")
            #expect(request.headers["x-campusguard-delivery"] == "delivery-1")
            let header = try #require(request.headers["x-campusguard-signature"])
            try WebhookSignature.verify(
                header: header,
                body: Array(request.body.utf8),
                secret: SigningSecret(Self.secret),
                now: Int64(Date().timeIntervalSince1970)
            )
            let notice = try #require(request.json?["notice"] as? [String: Any])
            #expect((notice["place"] as? String)?.hasPrefix("学生宿舍A栋") == true)
            #expect(notice["camera_url"] as? String == "rtsp://127.0.0.1:8554/dorm-a")
        }

        @Test("a receiver with another secret finds the signature wrong (the Python check can fail)")
        func wrongSecret() async throws {
            let sink = try WebhookSink(verify: "generic", secret: "not-the-secret")
            _ = try await Self.withClient { client in
                try await Self.channel(.webhook, url: sink.url, client: client).deliver(Self.notice())
            }
            let request = try #require(sink.waitForRequests(1).first)
            #expect(request.verified == false)
        }

        @Test("DingTalk: the sign verifies in Python; the Chinese markdown names the building")
        func dingTalk() async throws {
            let sink = try WebhookSink(verify: "dingtalk", secret: Self.secret)
            let outcome = try await Self.withClient { client in
                try await Self.channel(.dingtalk, url: sink.url + "/robot/send?access_token=T0K", client: client)
                    .deliver(Self.notice())
            }
            #expect(outcome.isSent)
            let request = try #require(sink.waitForRequests(1).first)
            #expect(request.verified == true, "\(request.verifyError ?? "")")
            #expect(request.query["access_token"] == "T0K")
            let markdown = try #require(request.json?["markdown"] as? [String: String])
            #expect(request.json?["msgtype"] as? String == "markdown")
            #expect(markdown["title"]?.hasPrefix("火警：学生宿舍A栋 Dormitory A 3层 301室") == true)
            #expect(markdown["text"]?.contains("学生宿舍A栋") == true)
        }

        @Test("Feishu: the sign verifies in Python; a card, or text when configured")
        func feishu() async throws {
            let sink = try WebhookSink(verify: "feishu", secret: Self.secret)
            try await Self.withClient { client in
                let url = sink.url + "/open-apis/bot/v2/hook/H"
                let card = try Self.channel(.feishu, url: url, client: client)
                let text = try Self.channel(.feishu, url: url, client: client, feishu: .text)
                #expect(await card.deliver(Self.notice()).isSent)
                #expect(await text.deliver(Self.notice()).isSent)
            }
            let requests = sink.waitForRequests(2)
            try #require(requests.count == 2)
            #expect(requests.allSatisfy { $0.verified == true })
            #expect(requests[0].json?["msg_type"] as? String == "interactive")
            #expect(requests[1].json?["msg_type"] as? String == "text")
            #expect(((requests[1].json?["content"] as? [String: String])?["text"])?.contains("学生宿舍A栋") == true)
        }

        @Test("WeCom: a markdown body, the key left in the URL, a drill marked")
        func weCom() async throws {
            let sink = try WebhookSink()
            var notice = Self.notice(test: true)
            notice.marking = .drill
            let outcome = try await Self.withClient { client in
                try await Self.channel(
                    .wecom,
                    url: sink.url + "/cgi-bin/webhook/send?key=K3Y",
                    client: client,
                    secret: nil
                )
                .deliver(notice)
            }
            #expect(outcome.isSent)
            let request = try #require(sink.waitForRequests(1).first)
            #expect(request.query == ["key": "K3Y"])
            let content = try #require((request.json?["markdown"] as? [String: String])?["content"])
            #expect(content.hasPrefix("### 【演练】火警：学生宿舍A栋"))
        }

        @Test("a receiver answering 500 is retryable; the retry of the same delivery, once it recovers, is sent")
        func recovers() async throws {
            let sink = try WebhookSink(answers: #"[{"status": 500, "body": "busy"}]"#)
            let notice = Self.notice("delivery-7")
            let (first, second) = try await Self.withClient { client in
                let channel = try Self.channel(.webhook, url: sink.url, client: client)
                return (await channel.deliver(notice), await channel.deliver(notice))
            }
            #expect(first == .retryable(reason: "HTTP 500: busy"))
            #expect(second.isSent)
            let requests = sink.waitForRequests(2)
            #expect(requests.map { $0.headers["x-campusguard-delivery"] } == ["delivery-7", "delivery-7"])
        }

        @Test("nothing listening on the port is retryable, at once")
        func closedPort() async throws {
            let port = try FreePort.find()
            let outcome = try await Self.withClient { client in
                try await Self.channel(.webhook, url: "http://127.0.0.1:\(port)/", client: client).deliver(
                    Self.notice()
                )
            }
            guard case .retryable(let reason) = outcome else {
                Issue.record("expected retryable, got \(outcome)")
                return
            }
            #expect(reason.lowercased().contains("refused"), "\(reason)")
        }

        @Test("a 4xx answer is rejected; 429 is retryable")
        func clientErrors() async throws {
            let sink = try WebhookSink(answers: #"[{"status": 404, "body": "no such hook"}, {"status": 429}]"#)
            let (notFound, tooMany) = try await Self.withClient { client in
                let channel = try Self.channel(.webhook, url: sink.url, client: client)
                return (await channel.deliver(Self.notice()), await channel.deliver(Self.notice()))
            }
            #expect(notFound == .rejected(reason: "HTTP 404: no such hook"))
            #expect(tooMany == .retryable(reason: "HTTP 429: (empty body)"))
        }

        @Test("a robot's 200 with a non-zero code is rejected with the code and message; its rate limit is retryable")
        func robotErrors() async throws {
            let sink = try WebhookSink(
                answers: #"""
                    [{"status": 200, "body": {"errcode": 310000, "errmsg": "keywords not in content"}},
                     {"status": 200, "body": {"errcode": 130101, "errmsg": "send too fast"}},
                     {"status": 200, "body": {"code": 19021, "msg": "sign match fail"}}]
                    """#
            )
            let outcomes = try await Self.withClient { client in
                [
                    try await Self.channel(.dingtalk, url: sink.url + "/send?access_token=T", client: client)
                        .deliver(Self.notice()),
                    try await Self.channel(.dingtalk, url: sink.url + "/send?access_token=T", client: client)
                        .deliver(Self.notice()),
                    try await Self.channel(.feishu, url: sink.url + "/hook/H", client: client).deliver(Self.notice()),
                ]
            }
            #expect(
                outcomes == [
                    .rejected(reason: "DingTalk errcode 310000: keywords not in content"),
                    .retryable(reason: "DingTalk errcode 130101: send too fast"),
                    .rejected(reason: "Feishu code 19021: sign match fail"),
                ]
            )
        }

        @Test("a receiver slower than the timeout is retryable")
        func timeout() async throws {
            let sink = try WebhookSink(answers: #"[{"status": 200, "delay": 3}]"#)
            let outcome = try await Self.withClient { client in
                try await Self.channel(.webhook, url: sink.url, client: client, timeout: Interval(milliseconds: 300))
                    .deliver(Self.notice())
            }
            #expect(outcome == .retryable(reason: "no answer within 300ms"))
        }

        @Test("a receiver that sends its headers and then stalls is retryable too: the timeout covers the body")
        func stalledBody() async throws {
            let sink = try WebhookSink(answers: #"[{"status": 200, "body": "ok", "stall_body": 3}]"#)
            let outcome = try await Self.withClient { client in
                try await Self.channel(.webhook, url: sink.url, client: client, timeout: Interval(milliseconds: 300))
                    .deliver(Self.notice())
            }
            #expect(outcome == .retryable(reason: "no answer within 300ms"))
        }
    }
}
