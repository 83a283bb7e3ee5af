import CampusGuardCore

/// A group robot's answer: HTTP 200 with a JSON body whose code says whether the message was
/// taken: `{"errcode":0,"errmsg":"ok"}` (DingTalk, WeCom), `{"code":0,"msg":"success"}` (Feishu).
struct RobotAnswer {
    let robot: String
    let codeKeys: [String]
    let messageKeys: [String]
    /// Codes that mean "too many messages, slow down": worth retrying later, like HTTP 429.
    let busyCodes: Set<Int>

    func refusal(_ body: [UInt8]) -> DeliveryOutcome? {
        guard let json = try? JSONParser.parse(body),
            let code = codeKeys.lazy.compactMap({ json[$0] }).first, case .number(let n) = code, n.isFinite
        else {
            return .rejected(reason: "\(robot) answered without a code: \(Self.snippet(body))")
        }
        guard n != 0 else { return nil }
        var message = ""
        if let m = messageKeys.lazy.compactMap({ json[$0] }).first, case .string(let text) = m {
            message = ": " + String(text.prefix(200))
        }
        let reason = "\(robot) \(codeKeys[0]) \(Int(n))\(message)"
        return busyCodes.contains(Int(n)) ? .retryable(reason: reason) : .rejected(reason: reason)
    }

    /// The start of an answer's body as text, for a failure's reason.
    static func snippet(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "(empty body)" }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return text.map { $0.isNewline ? " " : String($0) }.joined()
    }
}
