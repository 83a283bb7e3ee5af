import CampusGuardCore
import CampusGuardStore
import CampusGuardTestKit
import Testing

@testable import CampusGuardCLI

@Suite("The store's export replays")
struct StoreExportReplayTests {
    let dir = TemporaryDirectory("export")

    @Test("every exported reading line parses as the replay's decoded reading, with its time")
    func exportReplays() async throws {
        let readings = [
            Reading(device: "t-1", channel: ChannelID(.temperature), value: .number(10.1), timestamp: testStart),
            Reading(
                device: "s-1",
                channel: ChannelID(.smoke),
                value: .bool(true),
                timestamp: testStart + Interval(milliseconds: 1_250),
                source: .mqtt,
                selfTest: true
            ),
            Reading(
                device: "b \"1\"",
                channel: ChannelID(.button),
                value: .event("single"),
                timestamp: testStart + .seconds(2),
                source: .modbus
            ),
            Reading(
                device: "rcm-1",
                channel: ChannelID(.residualCurrent, index: 4),
                value: .number(-0.5),
                timestamp: testStart + .seconds(3)
            ),
        ]
        let store = try Store(path: dir.storePath)
        try await store.append(readings: readings)
        var parsed: [ReplayLine.Parsed] = []
        try store.forEachReading(StoreQuery()) { stored in
            switch ReplayLine.parse(stored.jsonLine) {
            case .success(let p): parsed.append(p)
            case .failure(let e): Issue.record("\(stored.jsonLine): \(e.message)")
            }
        }
        #expect(parsed.map(\.time) == readings.map(\.timestamp))
        #expect(
            parsed.map(\.line)
                == readings.map {
                    .reading(device: $0.device, channel: $0.channel, value: $0.value, selfTest: $0.selfTest)
                }
        )
    }
}
