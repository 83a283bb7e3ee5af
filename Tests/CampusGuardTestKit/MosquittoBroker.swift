import Foundation

/// A real mosquitto broker on a free loopback port, started and stopped by a test or a benchmark.
public final class MosquittoBroker: @unchecked Sendable {
    // @unchecked Sendable: a test drives its broker from one task at a time.
    public private(set) var port: Int
    public let directory: URL
    private var process: ChildProcess?
    private let extraConfig: String
    private let persistent: Bool

    /// - Parameters:
    ///   - extraConfig: lines for the listener (TLS files, password file, queue limits, log types).
    ///   - persistent: keep sessions on disk, saved on every change (what the no-loss tests need).
    public init(extraConfig: String = "allow_anonymous true", port: Int? = nil, persistent: Bool = true) throws {
        self.port = try port ?? FreePort.find()
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "cg-mosquitto-\(UUID().uuidString)"
        )
        self.extraConfig = extraConfig
        self.persistent = persistent
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Started as root, mosquitto drops to its own user, which must be able to write here.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory.path)
        // The port was free a moment ago; if another process took it since, mosquitto exits: try another.
        for attempt in 1...5 {
            do {
                try start()
                if process?.isRunning == true { return }
            } catch {
                stop(signal: SIGKILL)
            }
            guard attempt < 5, port == nil else { break }
            self.port = try FreePort.find()
        }
        throw TestError("mosquitto did not start: \(log)")
    }

    deinit {
        stop(signal: SIGKILL)
        try? FileManager.default.removeItem(at: directory)
    }

    public var url: String { "mqtt://127.0.0.1:\(port)" }

    /// Starts (or restarts) the broker with persistence in its directory, and waits until it accepts connections.
    public func start() throws {
        let persistence =
            persistent
            ? """
            persistence true
            persistence_location \(directory.path)/
            autosave_interval 1
            autosave_on_changes true
            """ : "persistence false"
        let config = """
            listener \(port) 127.0.0.1
            \(extraConfig)
            \(persistence)
            log_dest file \(directory.path)/mosquitto.log
            """
        let configFile = directory.appendingPathComponent("mosquitto.conf")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        process = try ChildProcess(
            Self.executable,
            ["-c", configFile.path],
            output: directory.appendingPathComponent("mosquitto.out").path
        )
        try FreePort.waitUntilListening(port, timeout: 5)
    }

    /// Stops the broker (SIGTERM saves its sessions to disk; SIGKILL does not) and waits for it.
    public func stop(signal: Int32 = SIGTERM) {
        guard let p = process else { return }
        p.signal(signal)
        if p.wait(timeout: 10) == nil {
            p.signal(SIGKILL)
            p.wait(timeout: 5)
        }
        process = nil
    }

    /// What mosquitto printed before its log file was open (a port in use, a bad config), then its log.
    public var log: String {
        ["mosquitto.out", "mosquitto.log"].map {
            (try? String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) ?? ""
        }.joined()
    }

    public static var executable: String {
        for path in ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        return "mosquitto"
    }
}

public enum FreePort {
    /// A TCP port on 127.0.0.1 that was free a moment ago.
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestError("socket() failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        guard bound else { throw TestError("bind() failed") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Polls until something accepts TCP connections on the port (bounded by `timeout` seconds).
    public static func waitUntilListening(_ port: Int, timeout: Double) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = UInt16(port).bigEndian
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let ok = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(fd)
            if ok { return }
            usleep(20_000)
        }
        throw TestError("nothing listens on 127.0.0.1:\(port) after \(timeout) s")
    }
}

public struct TestError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
