import CampusGuardCore

/// One kind of receiver's wire format: the HTTP request for a notice, and what its 2xx answers
/// mean. Pure: no I/O and no clock, so bodies and signatures can be checked against fixed vectors.
public protocol ReceiverFormat: Sendable {
    /// The request for `notice`, signed for the instant `now` where the receiver checks signatures.
    func request(for notice: StaffNotice, at now: Instant) -> StaffRequest
    /// Reads the body of a 2xx answer: nil when the receiver took the message, else the outcome
    /// (the robots answer HTTP 200 with an error code in the body).
    func refusal(inAnswer body: [UInt8]) -> DeliveryOutcome?
}

/// An HTTP POST to a receiver, before it is sent.
public struct StaffRequest: Sendable, Hashable {
    /// The URL, with any signature query parameters (DingTalk). It can hold the robot's token:
    /// never log it.
    public var url: String
    public var headers: [String: String]
    public var body: [UInt8]

    public init(url: String, headers: [String: String], body: [UInt8]) {
        self.url = url
        self.headers = headers
        self.body = body
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
