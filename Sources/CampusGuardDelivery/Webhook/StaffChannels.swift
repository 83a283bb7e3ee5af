import AsyncHTTPClient
import CampusGuardCore
import Foundation
import Logging
import NIOCore

/// Builds the channels of a config's `channels` section, reading each secret once, at start.
public enum StaffChannels {
    /// The `HTTPClient` settings that suit one attempt per delivery: no redirects followed (a
    /// robot's URL does not move), and a refused connection reported at once instead of retried
    /// until the deadline, since the caller retries from its outbox.
    public static func clientConfiguration() -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        return configuration
    }

    /// The channels of every `channels` entry, in config order.
    ///
    /// - Parameters:
    ///   - environment: where `CREDENTIALS_DIRECTORY` is looked up for `secret_credential`.
    public static func make(
        _ config: SiteConfig,
        client: HTTPClient,
        logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(DeliveryError) -> [HTTPStaffChannel] {
        var out: [HTTPStaffChannel] = []
        for channel in config.channels {
            out.append(try make(channel, client: client, logger: logger, environment: environment))
        }
        return out
    }

    /// The channel of one `channels` entry.
    public static func make(
        _ config: SiteConfig.DeliveryChannel,
        client: HTTPClient,
        logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        now: (@Sendable () -> Instant)? = nil
    ) throws(DeliveryError) -> HTTPStaffChannel {
        let secret = try readSecret(config, environment: environment)
        let format = try format(config, secret: secret)
        let timeout = Duration.milliseconds(config.timeout.milliseconds)
        if let now {
            return HTTPStaffChannel(
                id: config.id,
                format: format,
                client: client,
                timeout: timeout,
                logger: logger,
                now: now
            )
        }
        return HTTPStaffChannel(id: config.id, format: format, client: client, timeout: timeout, logger: logger)
    }

    /// The wire format of a channel type, checking what it needs: a usable URL, and a secret for
    /// the signed webhook.
    public static func format(
        _ config: SiteConfig.DeliveryChannel,
        secret: SigningSecret?
    ) throws(DeliveryError) -> any ReceiverFormat {
        guard let url = URLComponents(string: config.url), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", !(url.host ?? "").isEmpty
        else { throw .channel(id: config.id, problem: "url must be an http:// or https:// URL") }
        switch config.type {
        case .webhook:
            guard let secret else {
                throw .channel(id: config.id, problem: "a webhook channel needs secret_file or secret_credential")
            }
            return SignedWebhookFormat(url: config.url, secret: secret, language: config.language)
        case .dingtalk:
            return DingTalkFormat(url: config.url, secret: secret, language: config.language)
        case .wecom:
            return WeComFormat(url: config.url, language: config.language)
        case .feishu:
            return FeishuFormat(
                url: config.url,
                secret: secret,
                language: config.language,
                messageType: config.feishuMessageType
            )
        }
    }

    /// The secret of `secret_file`, or of `secret_credential` under systemd's `CREDENTIALS_DIRECTORY`.
    public static func readSecret(
        _ config: SiteConfig.DeliveryChannel,
        environment: [String: String]
    ) throws(DeliveryError) -> SigningSecret? {
        if let file = config.secretFile { return try SigningSecret(file: file, owner: config.id) }
        guard let name = config.secretCredential else { return nil }
        guard let directory = environment["CREDENTIALS_DIRECTORY"] else {
            throw .channel(
                id: config.id,
                problem: "secret_credential \(name) needs systemd's CREDENTIALS_DIRECTORY (LoadCredential=)"
            )
        }
        return try SigningSecret(file: directory + "/" + name, owner: config.id)
    }
}
