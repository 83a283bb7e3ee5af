import CampusGuardCore
import CampusGuardServer
import CampusGuardStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The acknowledge link")
struct AckLinkTests {
    static let valid =
        "/ack/\(ServerFixture.alarm)?"
        + ServerFixture.linkQuery(exp: ServerFixture.now.millisecondsSinceEpoch / 1000 + 600)

    @Test("GET shows the alarm and a button, in Chinese then English, and does not acknowledge")
    func getShowsPage() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let r = try await client.execute(uri: Self.valid, method: .get)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "text/html; charset=utf-8")
            let page = String(buffer: r.body)
            #expect(page.contains("<meta name=\"viewport\""))
            #expect(page.contains("烟感报警 · smoke"))
            #expect(page.contains("Dormitory A, 3, 301 (dorm-a/3/301)"))
            #expect(page.contains("<form method=\"post\""))
            #expect(page.contains("确认报警 · Acknowledge"))
            let zh = try #require(page.range(of: "确认表示"))
            let en = try #require(page.range(of: "Acknowledging says"))
            #expect(zh.lowerBound < en.lowerBound)
        }
        #expect(f.engine.received.isEmpty, "a link preview must not acknowledge")
    }

    @Test("POST with a valid signature acknowledges, with the name from the form")
    func postAcknowledges() async throws {
        let f = try await ServerFixture { command in
            guard case .acknowledge(_, let by) = command else { return [] }
            return [ServerFixture.acknowledged(by: by)]
        }
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let r = try await client.execute(
                uri: Self.valid,
                method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "by=%E7%8E%8B%E8%80%81%E5%B8%88")
            )
            #expect(r.status == .ok)
            #expect(String(buffer: r.body).contains("已由 王老师"))
            let anonymous = try await client.execute(uri: Self.valid, method: .post)
            #expect(anonymous.status == .ok)
        }
        #expect(
            f.engine.received == [
                .acknowledge(alarm: ServerFixture.alarm, by: "王老师"),
                .acknowledge(alarm: ServerFixture.alarm, by: "ack link"),
            ]
        )
    }

    @Test("an expired link is a 403 page saying so, for GET and POST")
    func expired() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        let uri =
            "/ack/\(ServerFixture.alarm)?"
            + ServerFixture.linkQuery(exp: ServerFixture.now.millisecondsSinceEpoch / 1000 - 1)
        try await f.server.application().test(.router) { client in
            for method in [HTTPRequest.Method.get, .post] {
                let r = try await client.execute(uri: uri, method: method)
                #expect(r.status == .forbidden)
                #expect(String(buffer: r.body).contains("链接已过期"))
                #expect(String(buffer: r.body).contains("This link has expired"))
            }
        }
        #expect(f.engine.received.isEmpty)
    }

    @Test("a tampered signature, another alarm's link, a changed exp or no signature is a 403 page")
    func tampered() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        let exp = ServerFixture.now.millisecondsSinceEpoch / 1000 + 600
        var flipped = Array(Self.valid)
        flipped[flipped.count - 1] = flipped.last == "0" ? "1" : "0"
        let uris = [
            String(flipped),
            "/ack/20261120T141000Z-8?" + ServerFixture.linkQuery(exp: exp),
            "/ack/\(ServerFixture.alarm)?"
                + ServerFixture.linkQuery(exp: exp).replacingOccurrences(of: "exp=\(exp)", with: "exp=\(exp + 3600)"),
            "/ack/\(ServerFixture.alarm)?" + ServerFixture.linkQuery(exp: exp, key: String(repeating: "ab", count: 32)),
            "/ack/\(ServerFixture.alarm)?exp=\(exp)",
            "/ack/\(ServerFixture.alarm)",
        ]
        try await f.server.application().test(.router) { client in
            for uri in uris {
                for method in [HTTPRequest.Method.get, .post] {
                    let r = try await client.execute(uri: uri, method: method)
                    #expect(r.status == .forbidden, "\(method) \(uri)")
                    #expect(String(buffer: r.body).contains("This link is not valid"))
                }
            }
        }
        #expect(f.engine.received.isEmpty)
    }

    @Test("a link to an alarm that is no longer open says so, without a button")
    func closedAlarm() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        var resolved = ServerFixture.raised
        resolved.type = .alarmResolved
        try await f.store.append(events: [resolved])
        try await f.server.application().test(.router) { client in
            let r = try await client.execute(uri: Self.valid, method: .get)
            #expect(r.status == .notFound)
            #expect(String(buffer: r.body).contains("The alarm is closed"))
            #expect(!String(buffer: r.body).contains("<form"))
        }
    }

    @Test("an alarm already acknowledged shows who and when, without a button")
    func alreadyAcknowledged() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.store.append(events: [ServerFixture.acknowledged(by: "wang")])
        try await f.server.application().test(.router) { client in
            let r = try await client.execute(uri: Self.valid, method: .get)
            #expect(r.status == .ok)
            #expect(String(buffer: r.body).contains("Already acknowledged by wang"))
            #expect(!String(buffer: r.body).contains("<form"))
            let again = try await client.execute(uri: Self.valid, method: .post)
            #expect(again.status == .ok)
            #expect(String(buffer: again.body).contains("had already been acknowledged by wang"))
        }
    }

    @Test("without a configured key, links are not enabled: 404 page, nothing acknowledged")
    func notEnabled() async throws {
        let f = try await ServerFixture(ackLinks: false)
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            for method in [HTTPRequest.Method.get, .post] {
                let r = try await client.execute(uri: Self.valid, method: method)
                #expect(r.status == .notFound)
                #expect(String(buffer: r.body).contains("Acknowledge links are not enabled"))
            }
        }
        #expect(f.engine.received.isEmpty)
    }
}
