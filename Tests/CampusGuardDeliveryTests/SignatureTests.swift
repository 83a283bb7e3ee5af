import CampusGuardDelivery
import Testing

@Suite("Webhook and robot signatures")
struct SignatureTests {
    let secret = SigningSecret("campusguard-test-secret")
    let body = Array(#"{"a":1}"#.utf8)

    // Pinned with Python: hmac.new(b"campusguard-test-secret", b'1795212000.{"a":1}', sha256).hexdigest()
    @Test("the generic signature matches a vector computed with Python's hmac")
    func genericVector() {
        #expect(
            WebhookSignature.sign(body: body, secret: secret, timestamp: 1_795_212_000)
                == "t=1795212000,v1=7cebf401160c05a4ae85cb5989cc123dd0c7b4ff6cdb09581b280a3023d79843"
        )
    }

    @Test("a signature verifies within the tolerance, either side of now")
    func verifies() throws {
        let header = WebhookSignature.sign(body: body, secret: secret, timestamp: 1000)
        try WebhookSignature.verify(header: header, body: body, secret: secret, now: 1000)
        try WebhookSignature.verify(header: header, body: body, secret: secret, now: 1300)
        try WebhookSignature.verify(header: header, body: body, secret: secret, now: 700)
    }

    @Test("an old or future signature is refused as outside the tolerance")
    func tolerance() {
        let header = WebhookSignature.sign(body: body, secret: secret, timestamp: 1000)
        #expect(throws: DeliveryError.signatureOutsideTolerance(timestamp: 1000, now: 1301)) {
            try WebhookSignature.verify(header: header, body: body, secret: secret, now: 1301)
        }
        #expect(throws: DeliveryError.signatureOutsideTolerance(timestamp: 1000, now: 989)) {
            try WebhookSignature.verify(header: header, body: body, secret: secret, now: 989, tolerance: 10)
        }
    }

    @Test("a changed body, a changed time or another secret does not verify")
    func mismatch() {
        let header = WebhookSignature.sign(body: body, secret: secret, timestamp: 1000)
        #expect(throws: DeliveryError.signatureMismatch) {
            try WebhookSignature.verify(header: header, body: Array(#"{"a":2}"#.utf8), secret: secret, now: 1000)
        }
        #expect(throws: DeliveryError.signatureMismatch) {
            try WebhookSignature.verify(header: header, body: body, secret: SigningSecret("other"), now: 1000)
        }
        let moved = header.replacing("t=1000", with: "t=1001")
        #expect(throws: DeliveryError.signatureMismatch) {
            try WebhookSignature.verify(header: moved, body: body, secret: secret, now: 1000)
        }
    }

    @Test(
        "malformed headers are refused as malformed",
        arguments: [
            "", "t=1000", "v1=00", "t=abc,v1=" + String(repeating: "0", count: 64), "t=1000,v1=zz",
            "t=1000,v1=" + String(repeating: "0", count: 62), "t=1000,t=1000,v1=" + String(repeating: "0", count: 64),
            "garbage",
        ]
    )
    func malformed(header: String) {
        #expect(throws: DeliveryError.signatureMalformed) {
            try WebhookSignature.verify(header: header, body: body, secret: secret, now: 1000)
        }
    }

    @Test("with two v1 entries (a secret being rotated) either one verifies; unknown schemes are skipped")
    func rotation() throws {
        let old = WebhookSignature.sign(body: body, secret: SigningSecret("old"), timestamp: 1000)
        let new = WebhookSignature.sign(body: body, secret: secret, timestamp: 1000)
        let v1Old = old.split(separator: ",")[1]
        let header = new + "," + v1Old + ",v2=whatever"
        try WebhookSignature.verify(header: header, body: body, secret: secret, now: 1000)
        try WebhookSignature.verify(header: header, body: body, secret: SigningSecret("old"), now: 1000)
    }

    // DingTalk's documented algorithm in Python gives this; so does the `dingding` Rust crate's own test.
    @Test("DingTalk's sign matches a vector computed with Python's hmac")
    func dingTalkVector() {
        #expect(
            RobotSignature.dingTalk(timestampMilliseconds: 1_700_000_000_000, secret: SigningSecret("secret"))
                == "OuzzJR5+xZ4/EYwqtNt6sMYZQMTa/HEGvc9miJe7XzY="
        )
    }

    // Python: base64(hmac.new(b"1599360473\nsecret", b"", sha256).digest())
    @Test("Feishu's sign (the secret in the key, an empty message) matches a vector computed with Python")
    func feishuVector() {
        #expect(
            RobotSignature.feishu(timestampSeconds: 1_599_360_473, secret: SigningSecret("secret"))
                == "q4jswNiMy51J5JuQV566yJat0/lQ/c+22kINzUgKsGU="
        )
    }

    @Test("a secret never prints its content")
    func secretDoesNotPrint() {
        let s = SigningSecret("SEC-very-secret")
        #expect(!"\(s)".contains("very"))
        #expect(!String(reflecting: s).contains("very"))
    }
}
