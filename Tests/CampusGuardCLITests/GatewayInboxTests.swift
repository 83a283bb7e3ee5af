import CampusGuardCLI
import CampusGuardCore
import CampusGuardTestKit
import Testing

@Suite("The queue between the sources and the engine")
struct GatewayInboxTests {
    func batch(alarm: Bool, _ n: Int = 0) -> GatewayInbox.Item {
        .batch(
            SourceBatch(
                readings: [
                    Reading(device: "d\(n)", channel: ChannelID(.smoke), value: .bool(alarm), timestamp: testStart)
                ],
                receivedAt: testStart,
                alarmBearing: alarm
            )
        )
    }

    @Test("past its capacity it drops routine batches, counted, and never an alarm-bearing one")
    func bounded() async {
        let inbox = GatewayInbox(capacity: 10)
        for n in 0..<10 { #expect(inbox.push(batch(alarm: false, n))) }
        #expect(!inbox.push(batch(alarm: false, 10)))
        #expect(!inbox.push(batch(alarm: false, 11)))
        #expect(inbox.push(batch(alarm: true, 12)))
        #expect(inbox.droppedCount == 2)
        #expect(inbox.alarmsOverCapacity == 1)
        let items = await inbox.next() ?? []
        #expect(items.count == 11)
        guard case .batch(let last, _)? = items.last else {
            Issue.record("no batch")
            return
        }
        #expect(last.alarmBearing)
        #expect(inbox.push(batch(alarm: false, 13)), "room again once drained")
    }

    @Test("next() waits for an item, and returns nil once closed and empty")
    func waitingAndClosing() async {
        let inbox = GatewayInbox()
        async let waited = inbox.next()
        try? await Task.sleep(for: .milliseconds(50))
        inbox.push(.tick(testStart))
        #expect(await waited?.count == 1)
        inbox.push(batch(alarm: true))
        inbox.close()
        #expect(await inbox.next()?.count == 1, "what was queued before close is still handed over")
        #expect(await inbox.next() == nil)
        #expect(!inbox.push(batch(alarm: true)), "closed: nothing more is taken")
    }
}
