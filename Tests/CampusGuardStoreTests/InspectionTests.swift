import CampusGuardCore
import CampusGuardTestKit
import Testing

@testable import CampusGuardStore

@Suite("Store: inspection records")
struct InspectionTests {
    let dir = TemporaryDirectory()

    func testAlarm(_ id: String, _ device: String, at seconds: Int64, test: Bool = true) -> Event {
        var e = event(alarm: id, devices: [device], at: seconds)
        e.test = test
        return e
    }

    @Test("the latest test alarm of the device within two hours before the record is linked as evidence")
    func evidenceByWindow() async throws {
        let store = try Store(path: dir.storePath)
        try await store.append(events: [
            testAlarm("A-1", "s-1", at: 0),
            testAlarm("A-2", "s-1", at: 3_000),
            testAlarm("A-3", "s-10", at: 3_100),
            testAlarm("A-4", "s-1", at: 3_200, test: false),
            testAlarm("A-5", "s-1", at: 12_000),
        ])
        let at = testStart + .seconds(3_600)
        let r = try await store.recordInspection(NewInspection(device: "s-1", result: .pass, by: "li.gong"), at: at)
        #expect(r.evidence == .init(alarm: "A-2", raisedAt: testStart + .seconds(3_000), automatic: true))
        let late = try await store.recordInspection(
            NewInspection(device: "s-1", result: .pass, by: "li.gong"),
            at: testStart + .seconds(3_000) + .hours(2) + .seconds(1)
        )
        #expect(late.evidence == nil, "A-2 is more than two hours old and A-5 comes after the record")
        let other = try await store.recordInspection(NewInspection(device: "s-2", result: .fail, by: "li.gong"), at: at)
        #expect(other.evidence == nil, "another device's test alarm is no evidence")
    }

    @Test("a record may name its evidence; only a test alarm of that device raised before the record will do")
    func namedEvidence() async throws {
        let store = try Store(path: dir.storePath)
        try await store.append(events: [
            testAlarm("A-1", "s-1", at: 0), testAlarm("A-2", "s-1", at: 100, test: false),
            testAlarm("A-3", "s-2", at: 100),
        ])
        let at = testStart + .hours(5)
        let named = try await store.recordInspection(
            NewInspection(device: "s-1", result: .pass, by: "li.gong", evidence: "A-1"),
            at: at
        )
        #expect(named.evidence == .init(alarm: "A-1", raisedAt: testStart, automatic: false))
        for bad in ["A-2", "A-3", "A-9"] {
            let e = await storeError {
                _ = try await store.recordInspection(
                    NewInspection(device: "s-1", result: .pass, by: "li.gong", evidence: bad),
                    at: at
                )
            }
            #expect(e?.refusal == .invalid(field: "evidence"), "\(bad)")
        }
    }

    @Test("a failed inspection can open a hazard ticket in the same transaction; a pass cannot")
    func failedOpensTicket() async throws {
        let store = try Store(path: dir.storePath)
        let r = try await store.recordInspection(
            NewInspection(
                device: "s-1",
                result: .fail,
                by: "li.gong",
                note: "no sound",
                ticket: NewTicket(title: "Inspection failed: s-1", building: "dorm-a", device: "s-1", by: "")
            ),
            at: testStart
        )
        #expect(r.ticket == "T-2026-0001")
        let ticket = try #require(try store.ticket("T-2026-0001"))
        #expect(ticket.createdBy == "li.gong" && ticket.device == "s-1")
        let pass = await storeError {
            _ = try await store.recordInspection(
                NewInspection(
                    device: "s-1",
                    result: .pass,
                    by: "li.gong",
                    ticket: NewTicket(title: "x", building: "dorm-a", by: "")
                ),
                at: testStart
            )
        }
        #expect(pass?.refusal == .invalid(field: "ticket"))
    }

    @Test("inspections list by device newest first and by time range oldest first")
    func lists() async throws {
        let store = try Store(path: dir.storePath)
        for (i, device) in ["s-1", "s-2", "s-1", "s-1"].enumerated() {
            _ = try await store.recordInspection(
                NewInspection(device: device, result: i == 2 ? .fail : .pass, by: "p\(i)"),
                at: testStart + .hours(Int64(i))
            )
        }
        #expect(try store.inspections(device: "s-1").map(\.by) == ["p3", "p2", "p0"])
        #expect(try store.inspections(device: "s-1", limit: 1).map(\.by) == ["p3"])
        #expect(
            try store.inspections(since: testStart + .hours(1), until: testStart + .hours(3)).map(\.by) == ["p1", "p2"]
        )
        #expect(try store.inspections(since: nil, until: nil).count == 4)
        #expect(try store.inspections(device: "s-9").isEmpty)
    }
}
