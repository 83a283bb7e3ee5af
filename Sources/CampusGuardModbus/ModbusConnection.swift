import CModbus
import CampusGuardCore
import Glibc

/// One libmodbus context: a TCP connection or an open serial port. Blocking; used by one
/// poller thread only.
final class ModbusConnection {
    private let context: OpaquePointer
    let endpoint: ModbusBusEndpoint
    private(set) var isConnected = false

    init(endpoint: ModbusBusEndpoint, responseTimeout: Interval) throws(ModbusError) {
        let created: OpaquePointer?
        switch endpoint {
        case .tcp(let host, let port):
            created = modbus_new_tcp(host, Int32(port))
        case .rtu(let device, let baud, let parity, let data, let stop):
            created = modbus_new_rtu(device, Int32(baud), CChar(parity.asciiValue ?? 78), Int32(data), Int32(stop))
        }
        guard let created else { throw ModbusError.last("creating the Modbus context for \(endpoint)") }
        context = created
        self.endpoint = endpoint
        let ms = max(responseTimeout.milliseconds, 1)
        modbus_set_response_timeout(context, UInt32(ms / 1000), UInt32((ms % 1000) * 1000))
    }

    deinit {
        close()
        modbus_free(context)
    }

    func connect() throws(ModbusError) {
        guard !isConnected else { return }
        guard modbus_connect(context) == 0 else { throw ModbusError.last("connecting to \(endpoint)") }
        isConnected = true
    }

    func close() {
        guard isConnected else { return }
        modbus_close(context)
        isConnected = false
    }

    /// Reads one request from one unit; registers as words, bits as 0 or 1.
    func read(_ request: ModbusReadRequest, unit: Int) throws(ModbusError) -> [UInt16] {
        guard modbus_set_slave(context, Int32(unit)) == 0 else { throw ModbusError.last("selecting unit \(unit)") }
        let n = Int32(request.count)
        let address = Int32(request.address)
        var rc: Int32
        var words = [UInt16](repeating: 0, count: request.count)
        switch request.table {
        case .holding:
            rc = modbus_read_registers(context, address, n, &words)
        case .input:
            rc = modbus_read_input_registers(context, address, n, &words)
        case .coil, .discreteInput:
            var bits = [UInt8](repeating: 0, count: request.count)
            rc =
                request.table == .coil
                ? modbus_read_bits(context, address, n, &bits) : modbus_read_input_bits(context, address, n, &bits)
            words = bits.map { UInt16($0 == 0 ? 0 : 1) }
        }
        guard rc == n else {
            let error = ModbusError.last("reading \(request) from unit \(unit)")
            // After a timeout or garbage, stale bytes may follow: drop them before the next request.
            if error.kind != .exception { modbus_flush(context) }
            throw error
        }
        return words
    }
}
