import CampusGuardCore
import CampusGuardDelivery
import Testing

@Suite("Signed acknowledge links")
struct AcknowledgeLinkTests {
    let link = AcknowledgeLink(baseURL: "https://gw.school.lan:8443/", key: SigningSecret("ack-key"))
    let alarm = "20261120T142000Z-2"
    let expires = Instant(millisecondsSinceEpoch: 1_795_215_600_999)
    let before = Instant(millisecondsSinceEpoch: 1_795_215_000_000)

    // Python: hmac.new(b"ack-key", b"20261120T142000Z-2.1795215600", sha256).hexdigest()
    @Test("the link has the documented form and a signature pinned with Python's hmac")
    func form() {
        #expect(
            link.url(alarm: alarm, expires: expires)
                == "https://gw.school.lan:8443/ack/20261120T142000Z-2?exp=1795215600"
                + "&sig=90abd53f147d71003e6f1ec37f14c222e267deae0a4304b750d4e1824cca5c59"
        )
    }

    @Test("a fresh link verifies and gives its alarm id; up to and including the second it expires")
    func verifies() throws {
        let url = link.url(alarm: alarm, expires: expires)
        #expect(try link.verify(url: url, now: before) == alarm)
        #expect(
            try link.verify(url: url, expected: alarm, now: Instant(millisecondsSinceEpoch: 1_795_215_600_500)) == alarm
        )
    }

    @Test("an expired link is refused as expired")
    func expired() {
        let url = link.url(alarm: alarm, expires: expires)
        #expect(throws: DeliveryError.linkExpired(expiredAt: 1_795_215_600)) {
            try link.verify(url: url, now: Instant(millisecondsSinceEpoch: 1_795_215_601_000))
        }
    }

    @Test("a changed alarm id, a later exp or another key breaks the signature")
    func forged() {
        let url = link.url(alarm: alarm, expires: expires)
        #expect(throws: DeliveryError.linkBadSignature) {
            try link.verify(url: url.replacing(alarm, with: "20261120T142000Z-3"), now: before)
        }
        #expect(throws: DeliveryError.linkBadSignature) {
            try link.verify(url: url.replacing("exp=1795215600", with: "exp=1895215600"), now: before)
        }
        let other = AcknowledgeLink(baseURL: "https://gw.school.lan:8443", key: SigningSecret("other-key"))
        #expect(throws: DeliveryError.linkBadSignature) { try other.verify(url: url, now: before) }
    }

    @Test("a genuine link of another alarm is refused as the wrong alarm")
    func wrongAlarm() {
        let url = link.url(alarm: alarm, expires: expires)
        #expect(throws: DeliveryError.linkWrongAlarm(link: alarm, expected: "20261120T150000Z-9")) {
            try link.verify(url: url, expected: "20261120T150000Z-9", now: before)
        }
    }

    @Test(
        "links without exp, sig or alarm, or with a bad sig, are malformed",
        arguments: [
            "https://gw.school.lan/ack/20261120T142000Z-2?exp=1795215600",
            "https://gw.school.lan/ack/20261120T142000Z-2?sig=00",
            "https://gw.school.lan/ack/?exp=1795215600&sig=" + String(repeating: "0", count: 64),
            "https://gw.school.lan/ack/20261120T142000Z-2?exp=soon&sig=" + String(repeating: "0", count: 64),
            "https://gw.school.lan/ack/20261120T142000Z-2?exp=1795215600&sig=xyz",
            "https://gw.school.lan/alarms/20261120T142000Z-2?exp=1795215600&sig=" + String(repeating: "0", count: 64),
        ]
    )
    func malformed(url: String) {
        #expect(throws: DeliveryError.linkMalformed) { try link.verify(url: url, now: before) }
    }

    @Test("an alarm id with characters outside a URL's path is encoded and still verifies")
    func encoded() throws {
        let url = link.url(alarm: "drill 1/a", expires: expires)
        #expect(url.contains("/ack/drill%201%2Fa?"))
        #expect(try link.verify(url: url, now: before) == "drill 1/a")
    }
}
