import CampusGuardCore
import Foundation
import GRDB

/// A reading read back from the store, with its row id.
public struct StoredReading: Sendable, Hashable {
    public var id: Int64
    public var reading: Reading

    init(_ row: Row) {
        id = row["id"]
        let flags: Int64 = row["flags"]
        let value: ReadingValue
        switch flags & Store.ReadingFlags.typeMask {
        case Store.ReadingFlags.bool: value = .bool((row["value"] as Double? ?? 0) != 0)
        case Store.ReadingFlags.event: value = .event(row["text"] ?? "")
        default: value = .number(row["value"] ?? .nan)
        }
        let channelName: String = row["channel"]
        reading = Reading(
            device: row["device"],
            channel: ChannelID(channelName) ?? ChannelID(.fault),
            value: value,
            timestamp: Instant(millisecondsSinceEpoch: row["ts"]),
            source: Store.ReadingFlags.source(flags),
            selfTest: flags & Store.ReadingFlags.selfTest != 0
        )
    }

    /// The replay format's decoded-reading line, so an export can be replayed:
    /// `{"ts":…,"device":…,"channel":…,"value":…,"source":"mqtt"}` (`"test":true` for a self-test).
    public var jsonLine: String {
        var w = JSONObjectWriter()
        w.string("ts", RFC3339.format(reading.timestamp))
        w.string("device", reading.device)
        w.string("channel", reading.channel.description)
        w.raw("value", JSONObjectWriter.encode(reading.value))
        if reading.selfTest { w.bool("test", true) }
        w.string("source", reading.source.rawValue)
        return w.finish()
    }

    /// `ts,device,channel,value,test,source`, quoted where needed (RFC 4180).
    public var csvLine: String {
        [
            RFC3339.format(reading.timestamp), reading.device, reading.channel.description,
            reading.value.description, reading.selfTest ? "true" : "false", reading.source.rawValue,
        ].map(CSV.field).joined(separator: ",")
    }

    public static let csvHeader = "ts,device,channel,value,test,source"
}

/// RFC 4180 fields: quoted when they hold a comma, a quote or a line break.
enum CSV {
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
