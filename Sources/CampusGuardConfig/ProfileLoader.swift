import CampusGuardCore
import Foundation
import Yams

/// Loads device profiles: `DeviceProfiles/<id>.yaml`, the id being the file name.
public enum ProfileLoader {
    /// The directories searched when the config names none: site overrides first, then the shipped
    /// ones (installed beside the executable, `PREFIX/share/campusguard/profiles` for
    /// `PREFIX/bin/campusguard`, then the usual prefixes), and last `DeviceProfiles` in the working
    /// directory (a checkout of this repository).
    public static func defaultDirectories(configDirectory: String) -> [String] {
        [configDirectory + "/profiles", configDirectory + "/../DeviceProfiles", "/etc/campusguard/profiles"]
            + (installedDirectory.map { [$0] } ?? [])
            + ["/usr/local/share/campusguard/profiles", "/usr/share/campusguard/profiles", "DeviceProfiles"]
    }

    /// `../share/campusguard/profiles` from the running executable's directory, where
    /// `scripts/install.sh` puts the profiles.
    static let installedDirectory: String? = {
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let prefix = URL(fileURLWithPath: exe).deletingLastPathComponent().deletingLastPathComponent()
        return prefix.appendingPathComponent("share/campusguard/profiles").path
    }()

    /// Every profile id found in the directories, with its file; the earlier directory wins.
    public static func index(directories: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for dir in directories {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names.sorted() where name.hasSuffix(".yaml") {
                let id = String(name.dropLast(5))
                if out[id] == nil { out[id] = dir + "/" + name }
            }
        }
        return out
    }

    /// Loads one profile file; the id is the file name without `.yaml`.
    public static func load(file: String) throws(ConfigError) -> DeviceProfile {
        let log = DiagnosticLog()
        let profile = load(file: file, log: log)
        guard let profile, log.diagnostics.isEmpty else { throw ConfigError(log.diagnostics) }
        return profile
    }

    static func load(file: String, log: DiagnosticLog) -> DeviceProfile? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            log.append(ConfigDiagnostic(file: file, line: 1, column: 1, message: "cannot read the profile file"))
            return nil
        }
        let id = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        guard let root = YAMLDocument.load(text: text, file: file, log: log),
            var r = MappingReader(root, file: file, path: "", log: log)
        else { return nil }
        return read(&r, id: id)
    }

    private static func read(_ r: inout MappingReader, id: String) -> DeviceProfile? {
        let before = r.log.diagnostics.count
        let vendor = r.string("vendor", required: true)
        let model = r.string("model", required: true)
        let description = r.string("description") ?? ""
        let transport = r.oneOf("protocol", DeviceProfile.Transport.self, required: true)
        var mqtt: MQTTFormat? = nil
        if var m = r.mapping("mqtt") {
            if let format = m.oneOf("format", MQTTFormat.Format.self, required: true) {
                let state = m.string("state_topic") ?? (format == .tasmota ? "{topic}/SENSOR" : "{topic}")
                let availability = m.string("availability_topic")
                mqtt = MQTTFormat(format: format, stateTopic: state, availabilityTopic: availability)
            }
            m.finish()
        }
        var modbus: ModbusOptions? = nil
        if var m = r.mapping("modbus") {
            modbus = ModbusOptions(maxGap: m.int("max_gap", in: 0...125) ?? 8)
            m.finish()
        }
        if transport == .mqtt && mqtt == nil { r.report(r.node, "a protocol: mqtt profile needs an mqtt: section") }
        if transport == .modbus && modbus == nil { modbus = ModbusOptions() }
        var reportInterval = Interval.hours(1)
        var missed = 3
        if var s = r.mapping("supervision") {
            reportInterval = s.duration("report_interval") ?? reportInterval
            missed = s.int("missed_reports", in: 1...100) ?? missed
            s.finish()
        }
        var channels: [ChannelID: ChannelDecoding] = [:]
        if let entries = r.entries("channels") {
            for entry in entries {
                guard let channel = ChannelID(entry.key) else {
                    r.report(entry.keyNode, "channels.\(entry.key) is not a channel of the vocabulary")
                    continue
                }
                guard var c = MappingReader(entry.value, file: r.file, path: "channels.\(entry.key)", log: r.log) else {
                    continue
                }
                if let decoding = transport == .modbus ? modbusChannel(&c) : mqttChannel(&c) {
                    channels[channel] = decoding
                }
                c.finish()
            }
        } else {
            r.report(r.node, "channels is required")
        }
        let thresholds = ThresholdReader.read(
            r.entries("thresholds") ?? [],
            file: r.file,
            path: "thresholds",
            log: r.log,
            allowed: Set(channels.keys)
        )
        r.finish()
        guard r.log.diagnostics.count == before, let vendor, let model, let transport else { return nil }
        return DeviceProfile(
            id: id,
            vendor: vendor,
            model: model,
            description: description,
            transport: transport,
            mqtt: mqtt,
            modbus: modbus,
            reportInterval: reportInterval,
            missedReports: missed,
            channels: channels,
            thresholds: thresholds
        )
    }

    private static func mqttChannel(_ c: inout MappingReader) -> ChannelDecoding? {
        guard let key = c.string("key", required: true),
            let type = c.oneOf("type", ChannelDecoding.ValueType.self, required: true)
        else { return nil }
        var decoding = ChannelDecoding(type: type, keyPath: key.split(separator: ".").map(String.init))
        decoding.unit = c.string("unit")
        decoding.scale = c.double("scale") ?? 1
        decoding.offset = c.double("offset") ?? 0
        if let entries = c.entries("map") {
            for e in entries {
                guard let scalar = e.value.scalar else {
                    c.report(e.value, "\(c.name("map")).\(e.key) must be a single value")
                    continue
                }
                decoding.map[e.key] = mapped(scalar, type: type)
            }
        }
        if let idle = c.sequence("idle") {
            decoding.idle = Set(idle.compactMap { $0.scalar?.string })
        }
        return decoding
    }

    private static func mapped(_ scalar: Node.Scalar, type: ChannelDecoding.ValueType) -> ReadingValue? {
        let s = scalar.string
        if s == "null" || s == "~" || s.isEmpty && scalar.style == .plain { return nil }
        switch type {
        case .bool: return .bool(s.lowercased() == "true")
        case .number: return Double(s).map(ReadingValue.number) ?? .event(s)
        case .event: return .event(s)
        }
    }

    private static func modbusChannel(_ c: inout MappingReader) -> ChannelDecoding? {
        guard let table = c.oneOf("table", ModbusRegister.Table.self, required: true),
            let address = c.int("address", in: 0...65535, required: true),
            let dataType = c.oneOf("type", ModbusRegister.DataType.self, required: true)
        else { return nil }
        var register = ModbusRegister(table: table, address: address, dataType: dataType)
        register.wordOrder = c.oneOf("word_order", ModbusRegister.WordOrder.self) ?? .big
        register.bit = c.int("bit", in: 0...15)
        if dataType == .bits && register.bit == nil { c.report(c.node, "\(c.path): type bits needs bit: 0…15") }
        let bitTable = table == .coil || table == .discreteInput
        if bitTable != (dataType == .bool) {
            c.report(c.node, "\(c.path): coils and discrete inputs are read as type bool, registers as any other type")
        }
        if let entries = c.entries("sentinels") {
            for e in entries {
                guard let raw = MappingReader.parseInt(e.key), raw >= 0, raw <= Int(UInt32.max),
                    let reason = e.value.scalar?.string
                else {
                    c.report(e.keyNode, "\(c.name("sentinels")).\(e.key) must map a raw register value to a reason")
                    continue
                }
                register.sentinels[UInt32(raw)] = reason
            }
        }
        let valueType: ChannelDecoding.ValueType = dataType == .bool || dataType == .bits ? .bool : .number
        return ChannelDecoding(
            type: valueType,
            unit: c.string("unit"),
            scale: c.double("scale") ?? 1,
            offset: c.double("offset") ?? 0,
            register: register
        )
    }
}
