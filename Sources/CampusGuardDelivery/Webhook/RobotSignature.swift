import Crypto

/// The signatures the group robots check (their "加签" security setting).
public enum RobotSignature {
    /// DingTalk: base64(HMAC-SHA256(key: secret, message: "<timestamp ms>\n<secret>")). It goes
    /// into the URL as `&timestamp=<ms>&sign=<percent-encoded signature>`; DingTalk accepts a
    /// timestamp up to an hour from its clock.
    public static func dingTalk(timestampMilliseconds: Int64, secret: SigningSecret) -> String {
        var message = Array("\(timestampMilliseconds)\n".utf8)
        message.append(contentsOf: secret.bytes)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret.bytes))
        return Encoding.base64(code)
    }

    /// Feishu: base64(HMAC-SHA256(key: "<timestamp s>\n<secret>", message: empty)). It goes into
    /// the body as `"timestamp": "<s>", "sign": "<signature>"`; Feishu accepts a timestamp up to an
    /// hour from its clock.
    public static func feishu(timestampSeconds: Int64, secret: SigningSecret) -> String {
        var key = Array("\(timestampSeconds)\n".utf8)
        key.append(contentsOf: secret.bytes)
        let code = HMAC<SHA256>.authenticationCode(for: [UInt8](), using: SymmetricKey(data: key))
        return Encoding.base64(code)
    }
}
