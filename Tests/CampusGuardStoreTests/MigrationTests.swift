import CampusGuardCore
import CampusGuardTestKit
import GRDB
import Testing

@testable import CampusGuardStore

@Suite("Store: schema migrations")
struct MigrationTests {
    let dir = TemporaryDirectory()

    @Test("a new store has every migration")
    func fresh() throws {
        let store = try Store(path: dir.storePath)
        #expect(
            try store.appliedMigrations() == [
                StoreSchema.v1, StoreSchema.v2, StoreSchema.v3, StoreSchema.v4Tickets, StoreSchema.v5Maintenance,
            ]
        )
    }

    @Test("a store made by the first version is brought up to date; its rows are kept and the outbox works")
    func fromV1() async throws {
        let line = event(alarm: "20261120T220000Z-41", devices: ["s-1"]).jsonLine
        do {
            let queue = try DatabaseQueue(path: dir.storePath)
            try Store.migrator.migrate(queue, upTo: StoreSchema.v1)
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO series (id, device, channel) VALUES (1, 's-1', 'smoke')")
                // flags: mqtt (1 << 3) | bool (1)
                try db.execute(
                    sql: "INSERT INTO readings (ts, series, value, flags) VALUES (?, 1, 1, 9)",
                    arguments: [testStart.millisecondsSinceEpoch]
                )
                try db.execute(
                    sql: """
                        INSERT INTO events (ts, type, alarm, kind, test, devices, line)
                        VALUES (?, 'alarm.raised', '20261120T220000Z-41', 'smoke', 0, ',s-1,', ?)
                        """,
                    arguments: [testStart.millisecondsSinceEpoch, line]
                )
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('alarm.sequence', 41)")
            }
            #expect(try await queue.read { try Store.migrator.appliedMigrations($0) } == [StoreSchema.v1])
            #expect(try await queue.read { try $0.tableExists("outbox") } == false)
        }

        let store = try Store(path: dir.storePath)
        #expect(
            try store.appliedMigrations() == [
                StoreSchema.v1, StoreSchema.v2, StoreSchema.v3, StoreSchema.v4Tickets, StoreSchema.v5Maintenance,
            ]
        )
        #expect(try store.allReadings().map(\.reading) == [reading("s-1", ChannelID(.smoke), .bool(true), at: 0)])
        #expect(try store.allEventLines(StoreQuery(device: "s-1")) == [line])
        #expect(try store.nextAlarmSequence() == 42)

        try await store.enqueue(
            [
                OutboxEntry(
                    delivery: "d-1",
                    event: 1,
                    alarm: "20261120T220000Z-41",
                    target: "duty",
                    payload: "{}",
                    nextAttempt: testStart
                )
            ],
            at: testStart
        )
        #expect(try store.pendingDeliveries(dueBy: testStart).map(\.delivery) == ["d-1"])
        try await store.markUplinked(.events, through: 1)
        #expect(try store.uplinkBacklog(.events).rows == 0)
        // New readings join the old series.
        try await store.append(readings: [reading("s-1", ChannelID(.smoke), .bool(false), at: 1)])
        #expect(try store.allReadings(StoreQuery(device: "s-1")).count == 2)
    }

    @Test("a store made by v3 gets the ticket tables; its events and drills are kept and tickets work")
    func fromV3() async throws {
        let line = event(alarm: "20261120T220000Z-5", devices: ["s-1"], kind: .deviceFault).jsonLine
        do {
            let queue = try DatabaseQueue(path: dir.storePath)
            try Store.migrator.migrate(queue, upTo: StoreSchema.v3)
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO events (ts, type, alarm, kind, test, devices, line)
                        VALUES (?, 'fault.raised', '20261120T220000Z-5', 'device_fault', 0, ',s-1,', ?)
                        """,
                    arguments: [testStart.millisecondsSinceEpoch, line]
                )
                try db.execute(
                    sql: "INSERT INTO drills (name, include_panic, started) VALUES ('night drill', 0, ?)",
                    arguments: [testStart.millisecondsSinceEpoch]
                )
            }
            #expect(try await queue.read { try $0.tableExists("tickets") } == false)
        }
        let old = try Store(path: dir.storePath, readOnly: true)
        #expect(try old.openTickets().isEmpty, "a read-only v3 store has no tickets, and no error")
        #expect(try old.inspections(device: "s-1").isEmpty)

        let store = try Store(path: dir.storePath)
        #expect(try store.appliedMigrations().suffix(2) == [StoreSchema.v4Tickets, StoreSchema.v5Maintenance])
        #expect(try store.allEventLines() == [line])
        #expect(try store.drills().map(\.name) == ["night drill"])
        let ticket = try await store.createTicket(
            NewTicket(title: "Detector offline", fault: "20261120T220000Z-5", by: "wang"),
            at: testStart
        )
        #expect(ticket.device == "s-1" && ticket.location == "dorm-a/3/301")
    }
}
