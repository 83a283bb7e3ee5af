import AsyncHTTPClient
import CampusGuardCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A channel that POSTs to a webhook or group robot with AsyncHTTPClient: one attempt per
/// `deliver`, bounded by `timeout` from connecting to the answer's last byte.
///
/// The `HTTPClient` is the caller's, shared by all channels; the caller starts and shuts it down
/// (`StaffChannels.clientConfiguration()` gives the settings that suit one-attempt delivery).
public struct HTTPStaffChannel: StaffChannel {
    public let id: String
    public let format: any ReceiverFormat
    public let timeout: Duration
    let client: HTTPClient
    let logger: Logger
    let now: @Sendable () -> Instant

    /// Of an answer's body, only this much is kept (a robot's answer is a few dozen bytes).
    static let answerLimit = 64 * 1024

    /// - Parameters:
    ///   - now: the clock signatures are made with; the system's by default.
    public init(
        id: String,
        format: any ReceiverFormat,
        client: HTTPClient,
        timeout: Duration = .seconds(5),
        logger: Logger,
        now: @escaping @Sendable () -> Instant = { Instant(secondsSinceEpoch: Date().timeIntervalSince1970) }
    ) {
        self.id = id
        self.format = format
        self.client = client
        self.timeout = timeout
        self.logger = logger
        self.now = now
    }

    public func deliver(_ notice: StaffNotice) async -> DeliveryOutcome {
        let prepared = format.request(for: notice, at: now())
        var request = HTTPClientRequest(url: prepared.url)
        request.method = .POST
        for (name, value) in prepared.headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "User-Agent", value: "campusguard")
        request.body = .bytes(ByteBuffer(bytes: prepared.body))
        let start = ContinuousClock.now
        let outcome: DeliveryOutcome
        do {
            let response = try await client.execute(request, timeout: TimeAmount(timeout))
            let answer = try await Self.collect(response.body, within: timeout - (ContinuousClock.now - start))
            outcome = Self.outcome(
                status: Int(response.status.code),
                answer: answer,
                latency: ContinuousClock.now - start,
                format: format
            )
        } catch {
            outcome = Self.outcome(error, timeout: timeout)
        }
        log(outcome, notice, elapsed: ContinuousClock.now - start)
        return outcome
    }

    // MARK: - Answers

    /// What an HTTP answer means: 2xx is sent unless the robot's code says otherwise; 408, 429
    /// and 5xx are worth retrying; any other status will not change by itself.
    public static func outcome(
        status: Int,
        answer: [UInt8],
        latency: Duration,
        format: any ReceiverFormat
    ) -> DeliveryOutcome {
        switch status {
        case 200..<300:
            return format.refusal(inAnswer: answer) ?? .sent(status: status, latency: latency)
        case 408, 429, 500...:
            return .retryable(reason: "HTTP \(status): \(RobotAnswer.snippet(answer))")
        default:
            return .rejected(reason: "HTTP \(status): \(RobotAnswer.snippet(answer))")
        }
    }

    /// What a failure to get an answer means: a malformed URL will not improve; a timeout, a
    /// refused or dropped connection may.
    static func outcome(_ error: any Error, timeout: Duration) -> DeliveryOutcome {
        if let e = error as? HTTPClientError {
            switch e {
            case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath:
                return .rejected(reason: "the URL cannot be used: \(e)")
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout:
                let ms = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
                return .retryable(reason: "no answer within \(Interval(milliseconds: ms))")
            default:
                break
            }
        }
        if error is CancellationError { return .retryable(reason: "cancelled") }
        return .retryable(reason: "cannot reach the receiver: \(error)")
    }

    /// The answer's body, at most `answerLimit` bytes kept and the rest read and dropped (so
    /// the connection can be used again), within `remaining`.
    static func collect(_ body: HTTPClientResponse.Body, within remaining: Duration) async throws -> [UInt8] {
        try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                var kept: [UInt8] = []
                for try await chunk in body where kept.count < answerLimit {
                    kept.append(contentsOf: chunk.readableBytesView.prefix(answerLimit - kept.count))
                }
                return kept
            }
            group.addTask {
                try await Task.sleep(for: max(remaining, .zero))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else { throw HTTPClientError.deadlineExceeded }
            return answer
        }
    }

    // URLs are never logged: a robot's token is in its URL.
    private func log(_ outcome: DeliveryOutcome, _ notice: StaffNotice, elapsed: Duration) {
        var metadata: Logger.Metadata = [
            "channel.id": "\(id)",
            "delivery.id": "\(notice.deliveryID)",
            "event.type": "\(notice.event.type.rawValue)",
            "elapsed_ms":
                "\(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)",
        ]
        if let alarm = notice.event.alarm { metadata["alarm.id"] = "\(alarm)" }
        switch outcome {
        case .sent(let status, _):
            metadata["http.status"] = "\(status)"
            logger.debug("staff notice delivered", metadata: metadata)
        case .retryable(let reason):
            metadata["reason"] = "\(reason)"
            logger.warning("staff notice not delivered, retryable", metadata: metadata)
        case .rejected(let reason):
            metadata["reason"] = "\(reason)"
            logger.error("staff notice rejected by the receiver", metadata: metadata)
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
