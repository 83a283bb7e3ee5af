/// Registers and bits read from one Modbus device, by table and zero-based address.
public struct RegisterSnapshot: Sendable, Hashable {
    public var words: [ModbusRegister.Table: [Int: UInt16]] = [:]

    public init(words: [ModbusRegister.Table: [Int: UInt16]] = [:]) { self.words = words }

    public subscript(table: ModbusRegister.Table, address: Int) -> UInt16? {
        get { words[table]?[address] }
        set { words[table, default: [:]][address] = newValue }
    }
}

/// Turns the registers a poll read into readings, using the device's profile. Pure.
public enum RegisterDecoder {
    /// One reading per channel whose registers are all present; a sentinel value becomes a
    /// `fault` reading of the same point (`fault.3` for `residual_current.3`), never a number.
    public static func readings(
        device: CampusDevice,
        registers: RegisterSnapshot,
        at time: Instant
    ) -> [Reading] {
        var values: [ChannelID: ReadingValue] = [:]
        // A point in a sentinel state is at fault whatever its status bit says: OR them, so
        // the two never flap against each other within one poll.
        var faults: [ChannelID: Bool] = [:]
        for (channel, decoding) in device.profile.channels {
            guard let register = decoding.register, let raw = rawValue(register, registers) else { continue }
            if register.sentinels[raw] != nil {
                faults[ChannelID(.fault, index: channel.index)] = true
                continue
            }
            let number: Double
            switch register.dataType {
            case .bool, .bits:
                let on = register.dataType == .bool ? raw != 0 : (raw >> UInt32(register.bit ?? 0)) & 1 == 1
                if channel.kind == .fault {
                    faults[channel] = (faults[channel] ?? false) || on
                } else {
                    values[channel] = .bool(on)
                }
                continue
            case .uint16, .uint32: number = Double(raw)
            case .int16: number = Double(Int16(truncatingIfNeeded: raw))
            case .int32: number = Double(Int32(bitPattern: raw))
            case .float32:
                number = Double(Float(bitPattern: raw))
                guard number.isFinite else {
                    faults[ChannelID(.fault, index: channel.index)] = true
                    continue
                }
            }
            values[channel] = .number(decoding.apply(number))
        }
        for (channel, on) in faults { values[channel] = .bool(on) }
        return values.sorted { $0.key < $1.key }.map {
            Reading(device: device.id, channel: $0.key, value: $0.value, timestamp: time, source: .modbus)
        }
    }

    /// The register's raw value: one word, or two joined in the profile's word order.
    static func rawValue(_ register: ModbusRegister, _ registers: RegisterSnapshot) -> UInt32? {
        guard let first = registers[register.table, register.address] else { return nil }
        guard register.width == 2 else { return UInt32(first) }
        guard let second = registers[register.table, register.address + 1] else { return nil }
        switch register.wordOrder {
        case .big: return UInt32(first) << 16 | UInt32(second)
        case .little: return UInt32(second) << 16 | UInt32(first)
        }
    }
}
