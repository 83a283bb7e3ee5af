/// One Modbus read request: a table, a first address and a count.
public struct ModbusReadRequest: Hashable, Sendable, CustomStringConvertible {
    public var table: ModbusRegister.Table
    public var address: Int
    public var count: Int

    public init(table: ModbusRegister.Table, address: Int, count: Int) {
        self.table = table
        self.address = address
        self.count = count
    }

    public var description: String { "\(table.rawValue)[\(address)..<\(address + count)]" }
}

/// The fewest requests that read every channel of a Modbus profile: contiguous or nearly
/// contiguous addresses of one table are merged (gaps up to the profile's `max_gap`), within
/// the protocol's limits of 125 registers or 2000 bits per request. Pure.
public enum ModbusReadPlan {
    public static let maximumRegisters = 125
    public static let maximumBits = 2000

    public static func requests(for profile: DeviceProfile) -> [ModbusReadRequest] {
        let maxGap = profile.modbus?.maxGap ?? 8
        var spans: [ModbusRegister.Table: [(start: Int, end: Int)]] = [:]
        for decoding in profile.channels.values {
            guard let r = decoding.register else { continue }
            spans[r.table, default: []].append((r.address, r.address + r.width))
        }
        var out: [ModbusReadRequest] = []
        for table in ModbusRegister.Table.allCases {
            guard let list = spans[table]?.sorted(by: { $0.start < $1.start }) else { continue }
            let limit = table == .coil || table == .discreteInput ? maximumBits : maximumRegisters
            var current = list[0]
            for span in list.dropFirst() {
                let mergedEnd = max(current.end, span.end)
                if span.start - current.end <= maxGap && mergedEnd - current.start <= limit {
                    current.end = mergedEnd
                } else {
                    out.append(
                        ModbusReadRequest(table: table, address: current.start, count: current.end - current.start)
                    )
                    current = span
                }
            }
            out.append(ModbusReadRequest(table: table, address: current.start, count: current.end - current.start))
        }
        return out
    }
}
