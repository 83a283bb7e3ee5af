import Foundation

/// pysiaalarm's SIA DC-09 receiver (`scripts/sia_receiver.py`, from the project's `.venv`) on a
/// loopback port, started and stopped by a test or a benchmark: the real receiving centre of
/// the police link's tests.
public final class SIAReceiver: @unchecked Sendable {
    // @unchecked Sendable: a test drives its receiver from one task at a time; `messages` only
    // reads the output file.

    /// One message the receiver answered, as the script prints it.
    public struct Message: Sendable, Hashable {
        /// `ACK`, `NAK` or `DUH`.
        public var answer: String?
        /// `ADM-CID`, `NULL`, `SIA-DCS`.
        public var messageType: String?
        public var account: String?
        public var sequence: String?
        /// Contact ID: Q, EEE, GG (pysiaalarm's partition) and ZZZ (its `ri`).
        public var qualifier: String?
        public var eventType: String?
        public var group: String?
        public var zone: String?
        /// pysiaalarm's SIA code for it (`PA` panic, `FA` fire, `GA` gas, `RP` link test, …).
        public var code: String?
        public var encrypted: Bool
        public var timestamp: String?

        /// `QEEE GG ZZZ`, as campusguard sent it.
        public var contactID: String? {
            guard let qualifier, let eventType, let group, let zone else { return nil }
            return "\(qualifier)\(eventType) \(group) \(zone)"
        }
    }

    public let port: Int
    public let account: String
    /// The key as pysiaalarm takes it: 16, 24 or 32 characters that are the AES key bytes.
    public let key: String?
    public let output: URL
    /// Prints only its ready line: no per-message JSON work inside the measured round trip.
    public let quiet: Bool
    private var process: ChildProcess?

    /// The project's venv Python; `scripts/setup.sh` creates it.
    public static var python: String { Repository.root + "/.venv/bin/python" }

    public init(
        account: String = "1234",
        key: String? = nil,
        port: Int? = nil,
        quiet: Bool = false,
        start: Bool = true
    ) throws {
        self.port = try port ?? FreePort.find()
        self.account = account
        self.key = key
        self.quiet = quiet
        output = FileManager.default.temporaryDirectory.appendingPathComponent("cg-sia-\(UUID().uuidString).log")
        if start { try self.start() }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: output)
    }

    /// Starts (or starts again) the receiver and waits until it prints that it listens.
    public func start() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            throw TestError("\(Self.python) is missing: run scripts/setup.sh (it installs pysiaalarm)")
        }
        let before = readyLines
        var arguments = [Repository.root + "/scripts/sia_receiver.py", "--port", "\(port)", "--account", account]
        if let key { arguments += ["--key", key] }
        if quiet { arguments.append("--quiet") }
        process = try ChildProcess(Self.python, arguments, output: output.path)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if readyLines > before { return }
            if process?.isRunning != true { break }
            usleep(20_000)
        }
        throw TestError("the SIA receiver did not start: \(log)")
    }

    public func stop() {
        process?.stop()
        process = nil
    }

    public var isRunning: Bool { process?.isRunning == true }

    /// Everything the receiver printed (its JSON lines and pysiaalarm's warnings).
    public var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    private var readyLines: Int { log.split(separator: "\n").filter { $0.hasPrefix("{\"ready\":true") }.count }

    /// Every message it answered, in order (across restarts).
    public var messages: [Message] {
        log.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("{\"answer\""),
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            else { return nil }
            return Message(
                answer: object["answer"] as? String,
                messageType: object["message_type"] as? String,
                account: object["account"] as? String,
                sequence: object["sequence"] as? String,
                qualifier: object["qualifier"] as? String,
                eventType: object["event_type"] as? String,
                group: object["group"] as? String,
                zone: object["zone"] as? String,
                code: object["code"] as? String,
                encrypted: object["encrypted"] as? Bool ?? false,
                timestamp: object["timestamp"] as? String
            )
        }
    }

    /// The Contact ID events it acknowledged, as `QEEE GG ZZZ`.
    public var acknowledgedEvents: [String] {
        messages.filter { $0.answer == "ACK" && $0.messageType == "ADM-CID" }.compactMap(\.contactID)
    }
}
