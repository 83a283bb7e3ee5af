import CampusGuardModbus
import Testing

@Suite("Modbus bus addresses")
struct ModbusUnitTests {
    @Test("tcp:// and rtu:// URLs, with their defaults")
    func endpoints() {
        #expect(ModbusBusEndpoint(url: "tcp://127.0.0.1:1502") == .tcp(host: "127.0.0.1", port: 1502))
        #expect(ModbusBusEndpoint(url: "tcp://gateway.lan") == .tcp(host: "gateway.lan", port: 502))
        #expect(
            ModbusBusEndpoint(url: "rtu:///dev/ttyUSB0?baud=19200&parity=E&data=8&stop=1")
                == .rtu(device: "/dev/ttyUSB0", baud: 19200, parity: "E", dataBits: 8, stopBits: 1)
        )
        #expect(
            ModbusBusEndpoint(url: "rtu:///dev/ttyS1")
                == .rtu(device: "/dev/ttyS1", baud: 9600, parity: "N", dataBits: 8, stopBits: 1)
        )
        #expect(ModbusBusEndpoint(url: "rtu:///dev/ttyS1")?.isSerial == true)
        for bad in ["http://h", "tcp://", "rtu://ttyUSB0", "rtu:///tmp/x", "rtu:///dev/ttyS0?speed=9600"] {
            #expect(ModbusBusEndpoint(url: bad) == nil, "\(bad)")
        }
    }
}
