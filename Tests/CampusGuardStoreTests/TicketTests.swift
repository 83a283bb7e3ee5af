import CampusGuardCore
import CampusGuardTestKit
import Testing

@testable import CampusGuardStore

@Suite("Store: hazard tickets")
struct TicketTests {
    let dir = TemporaryDirectory()

    func step(_ kind: TicketStepKind, by: String = "li.gong", assignee: String? = nil) -> NewTicketStep {
        NewTicketStep(kind: kind, by: by, assignee: assignee)
    }

    @Test("a ticket goes around the loop found → assigned → rectified → verified → closed, every step kept")
    func loop() async throws {
        let store = try Store(path: dir.storePath)
        let t = try await store.createTicket(
            NewTicket(title: "Blocked fire exit", building: "dorm-a", location: "dorm-a/3", note: "boxes", by: "wang"),
            at: testStart
        )
        #expect(t.id == "T-2026-0001")
        #expect(t.status == .found && t.createdBy == "wang" && t.steps.map(\.kind) == [.found])
        #expect(t.steps.first?.note == "boxes")
        var now = testStart
        for (kind, by, assignee) in [
            (TicketStepKind.assigned, "wang", "li.gong"), (.rectified, "li.gong", nil), (.verified, "zhao", nil),
            (.closed, "zhao", nil),
        ] {
            now = now + .hours(1)
            _ = try await store.addTicketStep(to: t.id, step(kind, by: by, assignee: assignee), at: now)
        }
        let closed = try #require(try store.ticket("t-2026-1"))
        #expect(closed.status == .closed)
        #expect(closed.steps.map(\.kind) == [.found, .assigned, .rectified, .verified, .closed])
        #expect(closed.steps.map(\.by) == ["wang", "wang", "li.gong", "zhao", "zhao"])
        #expect(closed.assignee == "li.gong")
        #expect(closed.closedAt == testStart + .hours(4))
        #expect(closed.age(at: testStart + .hours(100)) == .hours(4), "a closed ticket's age is its time to close")
        #expect(try store.openTickets().isEmpty)
        #expect(try store.tickets(open: false).map(\.id) == ["T-2026-0001"])
    }

    @Test("a step that does not follow from the status is refused with words naming the next steps")
    func badTransitions() async throws {
        let store = try Store(path: dir.storePath)
        let t = try await store.createTicket(
            NewTicket(title: "Loose socket", building: "dorm-a", by: "wang"),
            at: testStart
        )
        let skip = await storeError { _ = try await store.addTicketStep(to: t.id, step(.rectified), at: testStart) }
        #expect(skip?.refusal == .badTransition)
        #expect(skip?.message == "T-2026-0001 is found: the next step is assigned or note, not rectified")
        let close = await storeError { _ = try await store.addTicketStep(to: t.id, step(.closed), at: testStart) }
        #expect(close?.refusal == .badTransition)
        let found = await storeError { _ = try await store.addTicketStep(to: t.id, step(.found), at: testStart) }
        #expect(found?.refusal == .badTransition)
        let noAssignee = await storeError {
            _ = try await store.addTicketStep(to: t.id, step(.assigned), at: testStart)
        }
        #expect(noAssignee?.refusal == .invalid(field: "assignee"))
        let unknown = await storeError {
            _ = try await store.addTicketStep(to: "T-2026-0042", step(.note), at: testStart)
        }
        #expect(unknown?.refusal == .unknownTicket)
        let garbage = await storeError { _ = try await store.addTicketStep(to: "42", step(.note), at: testStart) }
        #expect(garbage?.refusal == .unknownTicket)
        #expect(try store.ticket(t.id)?.steps.count == 1, "refused steps leave no trace")
    }

    @Test("the rectifier may not verify; a failed verification reopens the ticket to its assignee")
    func differentVerifier() async throws {
        let store = try Store(path: dir.storePath)
        let t = try await store.createTicket(
            NewTicket(title: "Gas hose cracked", building: "canteen", by: "wang"),
            at: testStart
        )
        _ = try await store.addTicketStep(to: t.id, step(.assigned, by: "wang", assignee: "li.gong"), at: testStart)
        _ = try await store.addTicketStep(to: t.id, step(.rectified, by: "li.gong"), at: testStart)
        let same = await storeError {
            _ = try await store.addTicketStep(to: t.id, step(.verified, by: "LI.GONG"), at: testStart)
        }
        #expect(same?.refusal == .verifierIsRectifier)
        #expect(same?.message == "T-2026-0001 was rectified by li.gong: someone else must verify it")
        let reopened = try await store.addTicketStep(
            to: t.id,
            NewTicketStep(kind: .reopened, by: "zhao", note: "still smells of gas"),
            at: testStart + .minutes(5)
        )
        #expect(reopened.status == .assigned && reopened.assignee == "li.gong")
        let handedOver = try await store.addTicketStep(
            to: t.id,
            step(.assigned, by: "zhao", assignee: "chen"),
            at: testStart + .minutes(6)
        )
        #expect(handedOver.assignee == "chen")
        _ = try await store.addTicketStep(to: t.id, step(.rectified, by: "chen"), at: testStart + .minutes(9))
        // li.gong rectified before, but the latest rectification is chen's: li.gong may verify it.
        let verified = try await store.addTicketStep(
            to: t.id,
            step(.verified, by: "li.gong"),
            at: testStart + .minutes(10)
        )
        #expect(verified.status == .verified)
        let noted = try await store.addTicketStep(to: t.id, step(.note, by: "zhao"), at: testStart + .minutes(11))
        #expect(noted.status == .verified && noted.steps.count == 8)
    }

    @Test("photo URLs must be http or https with a host, at most five a step")
    func photos() async throws {
        let store = try Store(path: dir.storePath)
        let good = ["https://pics.school.lan/hazard/1.jpg", "http://10.0.0.5/p.png"]
        let t = try await store.createTicket(
            NewTicket(title: "Exit sign out", building: "dorm-a", photos: good, by: "wang"),
            at: testStart
        )
        #expect(try store.ticket(t.id)?.steps.first?.photos == good)
        for bad in [["ftp://x/y.jpg"], ["javascript:alert(1)"], ["/local/file.jpg"], ["https://"], ["https://a b/c"]] {
            let e = await storeError {
                _ = try await store.addTicketStep(
                    to: t.id,
                    NewTicketStep(kind: .note, by: "wang", photos: bad),
                    at: testStart
                )
            }
            #expect(e?.refusal == .invalid(field: "photos"), "\(bad)")
        }
        let six = Array(repeating: "https://pics.school.lan/x.jpg", count: 6)
        let e = await storeError {
            _ = try await store.addTicketStep(
                to: t.id,
                NewTicketStep(kind: .note, by: "wang", photos: six),
                at: testStart
            )
        }
        #expect(e?.refusal == .invalid(field: "photos"))
    }

    @Test("a ticket from a fault takes its device, location and kind from the stored events")
    func fromFault() async throws {
        let store = try Store(path: dir.storePath)
        var fault = event(.faultRaised, alarm: "20261121T060000Z-3", devices: ["s-1"], kind: .deviceFault)
        fault.location = "dorm-b/2/201"
        try await store.append(events: [fault])
        let t = try await store.createTicket(
            NewTicket(title: "Detector offline", fault: "20261121T060000Z-3", by: "wang"),
            at: testStart
        )
        #expect(t.building == "dorm-b" && t.location == "dorm-b/2/201" && t.device == "s-1")
        #expect(t.kind == .deviceFault && t.fault == "20261121T060000Z-3")
        let unknown = await storeError {
            _ = try await store.createTicket(NewTicket(title: "x", fault: "nope-1", by: "wang"), at: testStart)
        }
        #expect(unknown?.refusal == .invalid(field: "fault"))
        let both = await storeError {
            _ = try await store.createTicket(
                NewTicket(title: "x", building: "dorm-a", fault: "20261121T060000Z-3", by: "wang"),
                at: testStart
            )
        }
        #expect(both?.refusal == .invalid(field: "fault"))
        let outside = await storeError {
            _ = try await store.createTicket(
                NewTicket(title: "x", building: "dorm-a", location: "dorm-ab/1/1", by: "wang"),
                at: testStart
            )
        }
        #expect(outside?.refusal == .invalid(field: "location"))
        let untitled = await storeError {
            _ = try await store.createTicket(NewTicket(title: " ", building: "dorm-a", by: "wang"), at: testStart)
        }
        #expect(untitled?.refusal == .invalid(field: "title"))
    }

    @Test("open tickets list oldest first, by building; numbers count per year")
    func openByBuildingAndAge() async throws {
        let store = try Store(path: dir.storePath)
        let a1 = try await store.createTicket(
            NewTicket(title: "a1", building: "dorm-a", by: "w"),
            at: testStart + .hours(2)
        )
        let b1 = try await store.createTicket(
            NewTicket(title: "b1", building: "dorm-b", by: "w"),
            at: testStart + .hours(1)
        )
        let a2 = try await store.createTicket(NewTicket(title: "a2", building: "dorm-a", by: "w"), at: testStart)
        let next = try await store.createTicket(
            NewTicket(title: "n", building: "dorm-a", by: "w"),
            at: testStart,
            year: 2027
        )
        #expect([a1.id, b1.id, a2.id, next.id] == ["T-2026-0001", "T-2026-0002", "T-2026-0003", "T-2027-0001"])
        #expect(try store.openTickets(building: "dorm-a").map(\.title) == ["a2", "n", "a1"])
        #expect(try store.openTickets().map(\.title) == ["a2", "n", "b1", "a1"])
        let oldest = try #require(try store.openTickets().first)
        #expect(oldest.age(at: testStart + .hours(3)) == .hours(3))
        #expect(try store.tickets(open: nil, building: "dorm-b").map(\.id) == ["T-2026-0002"])
    }
}
