import CampusGuardCore
import CampusGuardTestKit
import Testing

@testable import CampusGuardStore

@Suite("Store: the delivery outbox")
struct OutboxTests {
    let dir = TemporaryDirectory()

    func entry(
        _ delivery: String,
        alarm: String = "A-1",
        target: String = "duty",
        after seconds: Int64 = 0
    )
        -> OutboxEntry
    {
        OutboxEntry(
            delivery: delivery,
            event: 1,
            alarm: alarm,
            target: target,
            payload: #"{"delivery":"\#(delivery)"}"#,
            nextAttempt: testStart + .seconds(seconds)
        )
    }

    @Test("enqueueing a delivery id twice keeps the first entry as it was")
    func idempotent() async throws {
        let store = try Store(path: dir.storePath)
        try await store.enqueue([entry("A-1/duty/1")], at: testStart)
        var again = entry("A-1/duty/1", target: "other", after: 99)
        again.payload = "changed"
        try await store.enqueue([again, entry("A-1/police/1", target: "police")], at: testStart)
        #expect(try store.pendingDeliveries().map(\.delivery) == ["A-1/duty/1", "A-1/police/1"])
        let first = try #require(try store.delivery("A-1/duty/1"))
        #expect(first == entry("A-1/duty/1"))
        #expect(try store.delivery("nope") == nil)
        #expect(try store.counts().pendingDeliveries == 2)
    }

    @Test("pending deliveries oldest first; due ones by their next attempt; limited")
    func pendingAndDue() async throws {
        let store = try Store(path: dir.storePath)
        try await store.enqueue(
            [entry("d-1", after: 60), entry("d-2", after: 0), entry("d-3", after: 10)],
            at: testStart
        )
        #expect(try store.pendingDeliveries().map(\.delivery) == ["d-1", "d-2", "d-3"])
        #expect(try store.pendingDeliveries(dueBy: testStart).map(\.delivery) == ["d-2"])
        #expect(try store.pendingDeliveries(dueBy: testStart + .seconds(10)).map(\.delivery) == ["d-2", "d-3"])
        #expect(try store.pendingDeliveries(dueBy: testStart - .seconds(1)).isEmpty)
        #expect(try store.pendingDeliveries(limit: 2).map(\.delivery) == ["d-1", "d-2"])
    }

    @Test("an attempt: sent and failed finish the delivery, pending schedules the next one")
    func attempts() async throws {
        let store = try Store(path: dir.storePath)
        #expect(try store.pendingDeliveryCount() == 0)
        #expect(Store.fileBytes(at: dir.storePath) ?? 0 > 0)
        #expect(Store.fileBytes(at: dir.storePath + ".missing") == nil)
        try await store.enqueue([entry("sent"), entry("failed"), entry("retry")], at: testStart)
        #expect(try store.pendingDeliveryCount() == 3)
        let now = testStart + .seconds(1)
        try await store.recordAttempt("sent", status: .sent, at: now)
        try await store.recordAttempt("failed", status: .failed, error: "HTTP 404", at: now)
        try await store.recordAttempt(
            "retry",
            status: .pending,
            error: "timed out",
            nextAttempt: testStart + .seconds(30),
            at: now
        )
        let sent = try #require(try store.delivery("sent"))
        #expect(sent.status == .sent && sent.attempts == 1 && sent.lastError == nil)
        let failed = try #require(try store.delivery("failed"))
        #expect(failed.status == .failed && failed.attempts == 1 && failed.lastError == "HTTP 404")
        let retry = try #require(try store.delivery("retry"))
        #expect(retry.status == .pending && retry.attempts == 1 && retry.lastError == "timed out")
        #expect(retry.nextAttempt == testStart + .seconds(30))
        #expect(try store.pendingDeliveries().map(\.delivery) == ["retry"])
        #expect(try store.pendingDeliveryCount() == 1, "sent and given up are not pending")
        #expect(try store.pendingDeliveries(dueBy: testStart + .seconds(29)).isEmpty)
        #expect(try store.pendingDeliveries(dueBy: testStart + .seconds(30)).map(\.delivery) == ["retry"])

        try await store.recordAttempt("retry", status: .pending, error: "timed out", at: now + .seconds(30))
        let twice = try #require(try store.delivery("retry"))
        #expect(twice.attempts == 2 && twice.nextAttempt == testStart + .seconds(30), "no new time: the old one stays")
    }

    @Test("cancelling an alarm's pending deliveries: some targets, then all; other alarms and finished ones untouched")
    func cancel() async throws {
        let store = try Store(path: dir.storePath)
        try await store.enqueue(
            [
                entry("x-duty", alarm: "X", target: "duty"),
                entry("x-police", alarm: "X", target: "police"),
                entry("x-wecom", alarm: "X", target: "wecom"),
                entry("x-done", alarm: "X", target: "feishu"),
                entry("y-duty", alarm: "Y", target: "duty"),
            ],
            at: testStart
        )
        try await store.recordAttempt("x-done", status: .sent, at: testStart)
        #expect(try await store.cancelPending(alarm: "X", targets: ["police", "feishu"], at: testStart) == 1)
        #expect(try store.delivery("x-police")?.status == .cancelled)
        #expect(try store.delivery("x-done")?.status == .sent)
        #expect(try await store.cancelPending(alarm: "X", at: testStart) == 2)
        #expect(try store.pendingDeliveries().map(\.delivery) == ["y-duty"])
        #expect(try await store.cancelPending(alarm: "X", at: testStart) == 0)
        #expect(try await store.cancelPending(alarm: "nobody", at: testStart) == 0)
    }

    @Test("pending deliveries survive closing and reopening the store")
    func survivesReopen() async throws {
        do {
            let store = try Store(path: dir.storePath)
            try await store.enqueue([entry("a", after: 5), entry("b"), entry("c")], at: testStart)
            try await store.recordAttempt("b", status: .sent, at: testStart)
            try await store.recordAttempt(
                "c",
                status: .pending,
                error: "refused",
                nextAttempt: testStart + .seconds(9),
                at: testStart
            )
        }
        let reopened = try Store(path: dir.storePath)
        let pending = try reopened.pendingDeliveries()
        #expect(pending.map(\.delivery) == ["a", "c"])
        #expect(pending.last?.attempts == 1 && pending.last?.lastError == "refused")
        #expect(pending.first == entry("a", after: 5))
    }
}
