import CampusGuardCore
import CampusGuardTestKit
import Testing

@testable import CampusGuardStore

@Suite("Store: readings written in batches and read back")
struct ReadingsTests {
    let dir = TemporaryDirectory()

    static let mixed: [Reading] = [
        reading("dorm-a-301-temp-1", ChannelID(.temperature), .number(10.1), at: 0),
        reading("dorm-a-301-temp-1", ChannelID(.temperature), .number(-3.25), at: 1, source: .modbus),
        reading("power-rcm-1", ChannelID(.residualCurrent, index: 3), .number(312), at: 2, source: .modbus),
        reading("power-rcm-1", ChannelID(.residualCurrent, index: 3), .number(1e-7), at: 3, source: .modbus),
        reading("dorm-a-301-smoke-1", ChannelID(.smoke), .bool(true), at: 4),
        reading("dorm-a-301-smoke-1", ChannelID(.smoke), .bool(false), at: 5, selfTest: true),
        reading("gate-1-button", ChannelID(.button), .event("single"), at: 6, source: .replay),
        reading("gate-1-button", ChannelID(.button), .event(""), at: 7),
    ]

    @Test("numbers (10.1 exactly), booleans, events, the self-test mark, the source and the channel's point come back")
    func roundTrip() async throws {
        let store = try Store(path: dir.storePath)
        try await store.append(readings: Array(Self.mixed.prefix(3)))
        try await store.append(readings: Array(Self.mixed.dropFirst(3)))
        let back = try store.allReadings()
        #expect(back.map(\.reading) == Self.mixed)
        #expect(back.map(\.id) == Array(1...Int64(Self.mixed.count)), "row ids follow the order of writing")
        #expect(try store.counts().readings == Int64(Self.mixed.count))
    }

    @Test("an empty batch writes nothing")
    func emptyBatch() async throws {
        let store = try Store(path: dir.storePath)
        try await store.append(readings: [])
        #expect(try store.counts().readings == 0)
    }

    @Test("queries: since is inclusive, until exclusive, by device, by channel, by both, limited, in time order")
    func filters() async throws {
        let store = try Store(path: dir.storePath)
        // Three devices, two channels each, 10 seconds, written out of time order in two batches.
        var all: [Reading] = []
        for s in Int64(0)..<10 {
            for d in ["dev_1", "dev-1", "dev-10"] {
                all.append(reading(d, ChannelID(.temperature), .number(Double(s)), at: s))
                all.append(reading(d, ChannelID(.humidity), .number(Double(s) + 0.5), at: s))
            }
        }
        let shuffled = all.enumerated().sorted { ($0.offset * 7919) % all.count < ($1.offset * 7919) % all.count }
            .map(\.element)
        try await store.append(readings: Array(shuffled.prefix(25)))
        try await store.append(readings: Array(shuffled.dropFirst(25)))

        let everything = try store.allReadings()
        #expect(everything.count == 60)
        #expect(everything.map(\.reading.timestamp) == everything.map(\.reading.timestamp).sorted())

        let since = testStart + .seconds(3)
        let until = testStart + .seconds(6)
        let ranged = try store.allReadings(StoreQuery(since: since, until: until))
        #expect(ranged.count == 3 * 6)
        #expect(ranged.allSatisfy { $0.reading.timestamp >= since && $0.reading.timestamp < until })

        let device = try store.allReadings(StoreQuery(device: "dev_1"))
        #expect(device.count == 20)
        #expect(device.allSatisfy { $0.reading.device == "dev_1" }, "`_` is no wildcard")

        let channel = try store.allReadings(StoreQuery(channel: ChannelID(.humidity)))
        #expect(channel.count == 30)
        #expect(channel.allSatisfy { $0.reading.channel == ChannelID(.humidity) })

        let both = try store.allReadings(StoreQuery(since: since, device: "dev-10", channel: ChannelID(.temperature)))
        #expect(both.map(\.reading.value) == (3..<10).map { .number(Double($0)) })
        #expect(both.allSatisfy { $0.reading.device == "dev-10" })

        let limited = try store.allReadings(StoreQuery(device: "dev-1", limit: 4))
        #expect(limited.map(\.reading.timestamp) == [0, 0, 1, 1].map { testStart + .seconds($0) })

        #expect(try store.allReadings(StoreQuery(device: "nobody")).isEmpty)
        #expect(try store.allReadings(StoreQuery(device: "dev-1", channel: ChannelID(.smoke))).isEmpty)
    }
}

@Suite("Store: export lines")
struct ExportLineTests {
    let dir = TemporaryDirectory()

    /// The readings as the store gives them back.
    func stored(_ readings: [Reading]) async throws -> [StoredReading] {
        let store = try Store(path: dir.storePath)
        try await store.append(readings: readings)
        return try store.allReadings()
    }

    @Test("the JSON line is the replay's decoded-reading line")
    func jsonLine() async throws {
        var withMillis = reading("b\"1", ChannelID(.residualCurrent, index: 2), .event("hold"), at: 2, source: .replay)
        withMillis.timestamp = withMillis.timestamp + Interval(milliseconds: 7)
        let lines = try await stored([
            reading("dorm-a-301-temp-1", ChannelID(.temperature), .number(10.1), at: 0),
            reading("s-1", ChannelID(.smoke), .bool(false), at: 1, source: .modbus, selfTest: true),
            withMillis,
        ]).map(\.jsonLine)
        #expect(
            lines == [
                #"{"ts":"2026-11-20T22:00:00Z","device":"dorm-a-301-temp-1","channel":"temperature","value":10.1,"source":"mqtt"}"#,
                #"{"ts":"2026-11-20T22:00:01Z","device":"s-1","channel":"smoke","value":false,"test":true,"source":"modbus"}"#,
                #"{"ts":"2026-11-20T22:00:02.007Z","device":"b\"1","channel":"residual_current.2","value":"hold","source":"replay"}"#,
            ]
        )
    }

    @Test("CSV lines quote commas, quotes and line breaks (RFC 4180) and nothing else")
    func csvLine() async throws {
        #expect(StoredReading.csvHeader == "ts,device,channel,value,test,source")
        let lines = try await stored([
            reading("t-1", ChannelID(.temperature), .number(10.1), at: 0),
            reading("a,b", ChannelID(.button), .event("say \"hi\""), at: 1, selfTest: true),
            reading("c", ChannelID(.button), .event("two\nlines"), at: 2),
            reading("c", ChannelID(.button), .event("cr\r"), at: 3),
        ]).map(\.csvLine)
        #expect(
            lines == [
                "2026-11-20T22:00:00Z,t-1,temperature,10.1,false,mqtt",
                #"2026-11-20T22:00:01Z,"a,b",button,"say ""hi""",true,mqtt"#,
                "2026-11-20T22:00:02Z,c,button,\"two\nlines\",false,mqtt",
                "2026-11-20T22:00:03Z,c,button,\"cr\r\",false,mqtt",
            ]
        )
    }
}
