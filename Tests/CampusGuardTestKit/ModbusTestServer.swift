import CModbus
import Foundation

/// A real Modbus TCP server inside the test process (libmodbus's own server side), serving
/// one register map per unit id, with faults a test can switch on: exceptions, silence, a
/// server that goes away and comes back.
public final class ModbusTestServer: @unchecked Sendable {
    // @unchecked Sendable: the libmodbus contexts and sockets are used only by the server
    // thread, except the sockets' shutdown() in stop(), which is safe from any thread; the
    // register maps and switches are behind `lock`.
    public let port: Int
    private let lock = NSLock()
    private var unsafeState = State()
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    struct State {
        var units: [Int: UnsafeMutablePointer<modbus_mapping_t>] = [:]
        var exception: [Int: UInt32] = [:]
        var silent: Set<Int> = []
        var listenSocket: Int32 = -1
        var clientSocket: Int32 = -1
        var running = false
        var requests = 0
    }

    public init(port: Int? = nil) throws {
        self.port = try port ?? FreePort.find()
    }

    deinit {
        stop()
        withState { s in
            for m in s.units.values { modbus_mapping_free(m) }
        }
    }

    /// Sets words of a unit's table (`holding`, `input`) or bits (`coil`, `discrete_input`).
    public func set(unit: Int, table: String, address: Int, _ values: [UInt16]) {
        withState { s in
            let m = s.units[unit] ?? Self.newMapping()
            s.units[unit] = m
            for (k, v) in values.enumerated() {
                let a = address + k
                switch table {
                case "holding": m.pointee.tab_registers[a] = v
                case "input": m.pointee.tab_input_registers[a] = v
                case "coil": m.pointee.tab_bits[a] = v == 0 ? 0 : 1
                default: m.pointee.tab_input_bits[a] = v == 0 ? 0 : 1
                }
            }
        }
    }

    /// Answers every request to the unit with this Modbus exception code (nil: answer normally).
    public func setException(unit: Int, _ code: UInt32?) { withState { $0.exception[unit] = code } }

    /// Does not answer the unit at all (a dead device: the client times out).
    public func setSilent(unit: Int, _ silent: Bool) {
        withState { s in
            if silent { s.silent.insert(unit) } else { s.silent.remove(unit) }
        }
    }

    public var requestCount: Int { withState { $0.requests } }

    /// Runs `body` with the state locked (the test's thread and the server thread share it).
    private func withState<T>(_ body: (inout State) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&unsafeState)
    }

    private static func newMapping() -> UnsafeMutablePointer<modbus_mapping_t> {
        modbus_mapping_new(0x800, 0x800, 0x800, 0x800)!
    }

    public func start() throws {
        let ctx = modbus_new_tcp("127.0.0.1", Int32(port))!
        let listener = modbus_tcp_listen(ctx, 4)
        guard listener >= 0 else {
            modbus_free(ctx)
            throw TestError("cannot listen on 127.0.0.1:\(port): \(String(cString: modbus_strerror(errno)))")
        }
        withState { s in
            s.listenSocket = listener
            s.running = true
        }
        let context = ContextBox(ctx)
        let t = Thread { [self] in
            serve(context.pointer, listener: listener)
            modbus_free(context.pointer)
            done.signal()
        }
        t.name = "modbus test server"
        thread = t
        t.start()
    }

    /// Closes the listener and the connection: clients see the server gone.
    public func stop() {
        let (listener, client, running) = withState { s in
            defer {
                s.running = false
                s.listenSocket = -1
                s.clientSocket = -1
            }
            return (s.listenSocket, s.clientSocket, s.running)
        }
        guard running else { return }
        if client >= 0 { shutdown(client, Int32(SHUT_RDWR)) }
        if listener >= 0 { shutdown(listener, Int32(SHUT_RDWR)) }
        done.wait()
        if listener >= 0 { close(listener) }
        thread = nil
    }

    private func serve(_ ctx: OpaquePointer, listener: Int32) {
        var query = [UInt8](repeating: 0, count: Int(MODBUS_TCP_MAX_ADU_LENGTH))
        var socketCopy = listener
        while withState({ $0.running }) {
            let client = modbus_tcp_accept(ctx, &socketCopy)
            guard client >= 0 else { return }
            withState { $0.clientSocket = client }
            while withState({ $0.running }) {
                let n = modbus_receive(ctx, &query)
                if n == 0 { continue }
                guard n > 0 else { break }
                let unit = Int(query[6])
                withState { s in
                    s.requests += 1
                    if s.silent.contains(unit) { return }
                    if let code = s.exception[unit] {
                        modbus_reply_exception(ctx, query, code)
                        return
                    }
                    guard let m = s.units[unit] else { return }
                    modbus_reply(ctx, query, n, m)
                }
            }
            close(client)
            withState { $0.clientSocket = -1 }
        }
    }
}

/// Hands the libmodbus context to the server thread, which alone uses it from then on.
private final class ContextBox: @unchecked Sendable {
    // @unchecked Sendable: created before the thread starts and used only by that thread after.
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}

/// A Modbus RTU device on one end of a pseudo-terminal pair (made by socat), answering as one
/// unit: the serial side of the gateway tested without a serial port.
public final class ModbusRTUTestDevice: @unchecked Sendable {
    // @unchecked Sendable: the context is used by the device thread only; `registers` is behind `lock`.
    public let gatewayPath: String
    private let socat: ChildProcess
    private let lock = NSLock()
    private var mapping: UnsafeMutablePointer<modbus_mapping_t>
    private var running = true
    private let done = DispatchSemaphore(value: 0)
    public private(set) var requests = 0

    public init(unit: Int, directory: URL) throws {
        let gatewayLink = directory.appendingPathComponent("gateway").path
        let deviceLink = directory.appendingPathComponent("device").path
        socat = try ChildProcess(
            "/usr/bin/socat",
            ["pty,raw,echo=0,link=\(gatewayLink)", "pty,raw,echo=0,link=\(deviceLink)"],
            output: directory.appendingPathComponent("socat.log").path
        )
        let deadline = Date().addingTimeInterval(5)
        while !(FileManager.default.fileExists(atPath: gatewayLink)
            && FileManager.default.fileExists(atPath: deviceLink))
        {
            guard Date() < deadline else { throw TestError("socat made no pseudo-terminals") }
            usleep(20_000)
        }
        gatewayPath = try FileManager.default.destinationOfSymbolicLink(atPath: gatewayLink)
        let devicePath = try FileManager.default.destinationOfSymbolicLink(atPath: deviceLink)
        mapping = modbus_mapping_new(0x100, 0x100, 0x100, 0x100)!
        guard let ctx = modbus_new_rtu(devicePath, 9600, CChar(UInt8(ascii: "N")), 8, 1) else {
            throw TestError("modbus_new_rtu failed")
        }
        modbus_set_slave(ctx, Int32(unit))
        guard modbus_connect(ctx) == 0 else {
            throw TestError("cannot open \(devicePath): \(String(cString: modbus_strerror(errno)))")
        }
        // A short indication timeout lets the thread notice stop() between requests.
        modbus_set_indication_timeout(ctx, 0, 200_000)
        let context = RTUContextBox(ctx)
        Thread { [self] in
            var query = [UInt8](repeating: 0, count: Int(MODBUS_RTU_MAX_ADU_LENGTH))
            while lock.withLock({ running }) {
                let n = modbus_receive(context.pointer, &query)
                guard n > 0 else { continue }
                lock.withLock {
                    requests += 1
                    _ = modbus_reply(context.pointer, query, n, mapping)
                }
            }
            modbus_close(context.pointer)
            modbus_free(context.pointer)
            done.signal()
        }.start()
    }

    public func set(input address: Int, _ values: [UInt16]) {
        lock.withLock {
            for (k, v) in values.enumerated() { mapping.pointee.tab_input_registers[address + k] = v }
        }
    }

    public func stop() {
        let wasRunning = lock.withLock {
            defer { running = false }
            return running
        }
        guard wasRunning else { return }
        done.wait()
        socat.signal(SIGTERM)
        socat.wait(timeout: 5)
        modbus_mapping_free(mapping)
    }

    deinit { stop() }
}

private final class RTUContextBox: @unchecked Sendable {
    // @unchecked Sendable: handed once to the device thread, which alone uses it.
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}
