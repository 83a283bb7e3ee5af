import Foundation

/// A real HTTP receiver for webhook tests and benchmarks: `scripts/webhook_sink.py` (Python's
/// http.server) on a loopback port it picks itself, printing every request as a JSON line.
public final class WebhookSink: Sendable {
    public let port: Int
    public let process: ChildProcess
    private let output: String

    public var url: String { "http://127.0.0.1:\(port)" }

    /// - Parameters:
    ///   - answers: JSON list of answers for the first requests, e.g. `[{"status":500}]`.
    ///   - defaultAnswer: JSON answer for the rest; the sink's default is HTTP 200 with a zero
    ///     errcode and code (what every robot answers on success).
    ///   - verify: `generic`, `dingtalk` or `feishu`: the sink checks each request's signature
    ///     with `secret` in Python and records whether it holds.
    public init(
        answers: String = "[]",
        defaultAnswer: String? = nil,
        verify: String? = nil,
        secret: String? = nil
    )
        throws
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("campusguard-sink-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        output = directory.appendingPathComponent("requests.jsonl").path
        var arguments = ["-u", Repository.root + "/scripts/webhook_sink.py", "--answers", answers]
        if let defaultAnswer { arguments += ["--default", defaultAnswer] }
        if let verify { arguments += ["--verify", verify, "--secret", secret ?? ""] }
        process = try ChildProcess(Self.python, arguments, output: output)
        let deadline = Date().addingTimeInterval(10)
        var port: Int? = nil
        while port == nil {
            port = Self.lines(output).lazy.compactMap { $0["listening"] as? Int }.first
            guard port == nil else { break }
            guard Date() < deadline, process.isRunning else {
                let log = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
                throw TestError("the webhook sink did not start: \(log)")
            }
            usleep(20_000)
        }
        self.port = port!
    }

    deinit { process.stop(grace: 2) }

    /// The project's venv Python if set up (scripts/setup.sh), else the system's: the sink needs
    /// only the standard library.
    public static var python: String {
        let candidates = [Repository.root + "/.venv/bin/python", "/usr/bin/python3", "/usr/local/bin/python3"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/python3"
    }

    /// Every request received so far, in order.
    public var requests: [SinkRequest] { Self.lines(output).compactMap(SinkRequest.init) }

    /// Waits until at least `count` requests arrived (bounded by `timeout` seconds); those received.
    public func waitForRequests(_ count: Int, timeout: Double = 10) -> [SinkRequest] {
        let deadline = Date().addingTimeInterval(timeout)
        var got = requests
        while got.count < count && Date() < deadline {
            usleep(10_000)
            got = requests
        }
        return got
    }

    public func stop() { process.stop(grace: 2) }

    private static func lines(_ path: String) -> [[String: Any]] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap {
            try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]
        }
    }
}

/// One request as the sink printed it.
public struct SinkRequest: Sendable {
    public var n: Int
    public var method: String
    public var path: String
    public var query: [String: String]
    /// Keyed in lower case.
    public var headers: [String: String]
    public var body: String
    /// CLOCK_MONOTONIC when the sink had read the body.
    public var receivedNanoseconds: UInt64
    /// Whether the sink's own (Python) check of the signature held; nil when it did not check.
    public var verified: Bool?
    public var verifyError: String?

    init?(_ json: [String: Any]) {
        guard let n = json["n"] as? Int, let method = json["method"] as? String, let path = json["path"] as? String,
            let body = json["body"] as? String, let received = json["received_ns"] as? NSNumber
        else { return nil }
        self.n = n
        self.method = method
        self.path = path
        self.query = json["query"] as? [String: String] ?? [:]
        self.headers = json["headers"] as? [String: String] ?? [:]
        self.body = body
        self.receivedNanoseconds = received.uint64Value
        self.verified = json["verified"] as? Bool
        self.verifyError = json["verify_error"] as? String
    }

    /// The body as a JSON object, if it is one.
    public var json: [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    }
}
