import CampusGuardCore
import Yams

/// The `channels` section: where alarms are delivered to staff, and the checks of each entry.
extension SiteReader {
    func readDeliveryChannels(_ r: inout MappingReader) -> [SiteConfig.DeliveryChannel] {
        guard let nodes = r.sequence("channels") else { return [] }
        var out: [SiteConfig.DeliveryChannel] = []
        for (i, node) in nodes.enumerated() {
            guard var c = MappingReader(node, file: r.file, path: "channels[\(i)]", log: r.log) else { continue }
            let id = c.identifier("id", required: true)
            let type = c.oneOf("type", SiteConfig.DeliveryChannel.ChannelType.self, required: true)
            let url = c.string("url", required: true)
            var channel = SiteConfig.DeliveryChannel(id: id ?? "", type: type ?? .webhook, url: url ?? "")
            channel.secretFile = c.string("secret_file")
            channel.secretCredential = c.string("secret_credential")
            channel.language = c.oneOf("language", SiteConfig.DeliveryChannel.Language.self) ?? channel.language
            if let timeout = c.duration("timeout") {
                if timeout < Interval(milliseconds: 100) || timeout > .seconds(60) {
                    c.report(c.value("timeout"), "\(c.name("timeout")) must be from 100ms to 60s")
                }
                channel.timeout = timeout
            }
            let messageType = c.oneOf("msg_type", SiteConfig.DeliveryChannel.FeishuMessageType.self)
            channel.feishuMessageType = messageType ?? channel.feishuMessageType
            c.finish()
            if let name = channel.secretCredential, name.contains("/") {
                c.report(
                    c.value("secret_credential"),
                    "\(c.name("secret_credential")) is a credential name (LoadCredential=NAME:PATH), not a path"
                )
            }
            if channel.secretFile != nil && channel.secretCredential != nil {
                c.report(c.node, "\(c.path): give secret_file or secret_credential, not both")
            }
            if url != nil && !Self.isURL(channel.url, schemes: ["http", "https"]) {
                c.report(c.value("url"), "\(c.name("url")) must be an http:// or https:// URL")
            }
            if let type {
                checkChannel(type, channel, messageTypeGiven: messageType != nil, &c)
            }
            guard let id, type != nil, url != nil else { continue }
            if out.contains(where: { $0.id == id }) {
                c.report(c.value("id"), "\(c.name("id")) \"\(id)\" is used twice")
            }
            out.append(channel)
        }
        return out
    }

    /// What each kind of receiver needs: whether it is signed, and its own keys.
    private func checkChannel(
        _ type: SiteConfig.DeliveryChannel.ChannelType,
        _ channel: SiteConfig.DeliveryChannel,
        messageTypeGiven: Bool,
        _ c: inout MappingReader
    ) {
        let hasSecret = channel.secretFile != nil || channel.secretCredential != nil
        switch type {
        case .webhook where !hasSecret:
            c.report(c.node, "\(c.path): a webhook channel signs every request: give secret_file or secret_credential")
        case .wecom where hasSecret:
            c.report(c.node, "\(c.path): WeCom robots are not signed (the key is in the url): remove the secret")
        default:
            break
        }
        if messageTypeGiven && type != .feishu {
            c.report(c.value("msg_type"), "\(c.name("msg_type")) is for feishu channels only")
        }
    }
}
