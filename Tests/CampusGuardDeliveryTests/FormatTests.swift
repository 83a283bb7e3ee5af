import CampusGuardCore
import CampusGuardDelivery
import Foundation
import Testing

@Suite("Request bodies of the webhook and the robots")
struct FormatTests {
    let now = Instant(millisecondsSinceEpoch: 1_700_000_000_000)
    let secret = SigningSecret("secret")

    func json(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test("the generic body is the event's JSON line with a notice object added, signed over the raw body")
    func generic() throws {
        let notice = NoticeFixtures.notice()
        let format = SignedWebhookFormat(url: "https://hooks.school.lan/in", secret: secret)
        let request = format.request(for: notice, at: now)
        let line = notice.event.jsonLine
        #expect(request.bodyText.hasPrefix(String(line.dropLast()) + #","notice":{"#))
        #expect(request.url == "https://hooks.school.lan/in")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.headers["X-CampusGuard-Event"] == "alarm.updated")
        #expect(request.headers["X-CampusGuard-Delivery"] == "d-42")
        let header = try #require(request.headers["X-CampusGuard-Signature"])
        #expect(header.hasPrefix("t=1700000000,v1="))
        try WebhookSignature.verify(header: header, body: request.body, secret: secret, now: 1_700_000_010)

        let body = try json(request.body)
        #expect(body["alarm"] as? String == "20261120T220000Z-1")
        #expect(body["kind"] as? String == "fire")
        #expect(body["previous_kind"] as? String == "smoke")
        let n = try #require(body["notice"] as? [String: Any])
        #expect(n["delivery"] as? String == "d-42")
        #expect(n["tier"] as? Int == 1)
        #expect(n["marking"] as? String == "live")
        #expect((n["building"] as? [String: String]) == ["id": "dorm-a", "name": "学生宿舍A栋"])
        #expect(n["floor"] as? String == "3")
        #expect(n["room"] as? String == "301")
        #expect(n["place"] as? String == "学生宿舍A栋 3层 301室")
        #expect(n["local_time"] as? String == "2026-11-21 06:00:05")
        #expect(n["camera_url"] as? String == "rtsp://127.0.0.1:8554/dorm-a")
        #expect((n["acknowledge_url"] as? String)?.hasPrefix("https://gw.school.lan/ack/") == true)
        #expect((n["site"] as? [String: String])?["name"] == "示范学校")
        let devices = try #require(n["devices"] as? [[String: String]])
        #expect(devices == [["id": "dorm-a-301-smoke-1", "name": "301烟感1"], ["id": "dorm-a-301-smoke-2"]])
        #expect((n["title"] as? String) == "火警（原为疑似火情）：学生宿舍A栋 3层 301室")
        #expect((n["text"] as? String)?.contains("时间：2026-11-21 06:00:05") == true)
    }

    @Test("the same notice at the same instant gives the same bytes (a retry sends the same body)")
    func deterministic() {
        let format = SignedWebhookFormat(url: "https://hooks.school.lan/in", secret: secret)
        let notice = NoticeFixtures.notice()
        #expect(format.request(for: notice, at: now) == format.request(for: notice, at: now))
    }

    @Test("DingTalk: timestamp (ms) and the percent-encoded sign are appended to the URL; a markdown body")
    func dingTalk() throws {
        let format = DingTalkFormat(url: "https://oapi.dingtalk.com/robot/send?access_token=T0K", secret: secret)
        let request = format.request(for: NoticeFixtures.notice(), at: now)
        #expect(
            request.url == "https://oapi.dingtalk.com/robot/send?access_token=T0K&timestamp=1700000000000"
                + "&sign=OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D"
        )
        let body = try json(request.body)
        #expect(body["msgtype"] as? String == "markdown")
        let markdown = try #require(body["markdown"] as? [String: String])
        #expect(markdown["title"] == "火警（原为疑似火情）：学生宿舍A栋 3层 301室")
        let text = try #require(markdown["text"])
        #expect(text.hasPrefix("### 火警（原为疑似火情）：学生宿舍A栋 3层 301室\n\n**地点**：学生宿舍A栋 3层 301室"))
        #expect(text.contains("[点此确认收到](https://gw.school.lan/ack/"))
    }

    @Test("DingTalk without a secret (keyword or IP security) sends to the URL as it is")
    func dingTalkUnsigned() {
        let format = DingTalkFormat(url: "https://oapi.dingtalk.com/robot/send?access_token=T0K", secret: nil)
        #expect(format.request(for: NoticeFixtures.notice(), at: now).url == format.url)
    }

    @Test("WeCom: a markdown body with content, the URL untouched")
    func weCom() throws {
        let format = WeComFormat(url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K")
        let request = format.request(for: NoticeFixtures.notice(NoticeFixtures.gas()), at: now)
        #expect(request.url == format.url)
        let body = try json(request.body)
        #expect(body.keys.sorted() == ["markdown", "msgtype"])
        #expect(body["msgtype"] as? String == "markdown")
        let content = try #require((body["markdown"] as? [String: String])?["content"])
        #expect(content.hasPrefix("### 燃气泄漏：食堂后厨 1层 stoves\n**地点**：食堂后厨 1层 stoves\n"))
        #expect(content.contains("**读数**：可燃气体：35 %LEL"))
        #expect(content.contains("关闭燃气阀门"))
    }

    @Test("WeCom content is cut to 4096 bytes on a character boundary")
    func weComLimit() throws {
        var event = NoticeFixtures.gas()
        event.note = String(repeating: "很长的备注", count: 1000)
        event.by = "张老师"
        let body = try json(WeComFormat(url: "https://x/send?key=K").body(for: NoticeFixtures.notice(event)))
        let content = try #require((body["markdown"] as? [String: String])?["content"])
        #expect(content.utf8.count <= 4096)
        #expect(content.hasSuffix("…"))
    }

    @Test("Feishu card: timestamp (s) and sign in the body, a coloured header with the title")
    func feishuCard() throws {
        let format = FeishuFormat(url: "https://open.feishu.cn/open-apis/bot/v2/hook/H", secret: secret)
        let request = format.request(
            for: NoticeFixtures.notice(),
            at: Instant(millisecondsSinceEpoch: 1_599_360_473_000)
        )
        let body = try json(request.body)
        #expect(body["timestamp"] as? String == "1599360473")
        #expect(body["sign"] as? String == "q4jswNiMy51J5JuQV566yJat0/lQ/c+22kINzUgKsGU=")
        #expect(body["msg_type"] as? String == "interactive")
        let card = try #require(body["card"] as? [String: Any])
        let header = try #require(card["header"] as? [String: Any])
        #expect(header["template"] as? String == "red")
        #expect((header["title"] as? [String: String])?["content"]?.contains("火警") == true)
        let elements = try #require(card["elements"] as? [[String: String]])
        #expect(elements.first?["tag"] == "markdown")
        #expect(elements.first?["content"]?.hasPrefix("**地点**：学生宿舍A栋 3层 301室") == true)
    }

    @Test("Feishu text: msg_type text with content.text; no timestamp or sign without a secret")
    func feishuText() throws {
        let format = FeishuFormat(
            url: "https://open.feishu.cn/open-apis/bot/v2/hook/H",
            secret: nil,
            messageType: .text
        )
        let body = try json(format.request(for: NoticeFixtures.notice(), at: now).body)
        #expect(body.keys.sorted() == ["content", "msg_type"])
        #expect(body["msg_type"] as? String == "text")
        let text = try #require((body["content"] as? [String: String])?["text"])
        #expect(text.hasPrefix("火警（原为疑似火情）：学生宿舍A栋 3层 301室\n地点：学生宿舍A栋 3层 301室\n"))
    }

    @Test("the Feishu header is green when the alarm is over, blue once acknowledged, by severity otherwise")
    func feishuColours() {
        func colour(_ type: EventType, _ severity: Severity) -> String {
            var event = NoticeFixtures.fire(type: type)
            event.severity = severity
            let format = FeishuFormat(url: "https://x/hook/H", secret: nil)
            let body = format.request(for: NoticeFixtures.notice(event), at: now).bodyText
            return body.firstMatch(of: /"template":"([a-z]+)"/).map { String($0.1) } ?? ""
        }
        #expect(colour(.alarmRaised, .critical) == "red")
        #expect(colour(.alarmRaised, .major) == "orange")
        #expect(colour(.faultRaised, .minor) == "yellow")
        #expect(colour(.alarmAcknowledged, .critical) == "blue")
        #expect(colour(.alarmResolved, .critical) == "green")
    }
}
