import CampusGuardCore
import CampusGuardServer
import CampusGuardStore
import CampusGuardTestKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The web page's routes: sign-in, sessions, forms")
struct WebRoutesTests {
    @Test("a page without a session redirects to the sign-in page, which asks for a token")
    func redirects() async throws {
        let f = try await WebFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let board = try await f.get(client, "/", cookie: nil)
            #expect(board.status == .found)
            #expect(board.headers[.location] == "/login")
            let device = try await f.get(client, "/devices/s1", cookie: "campusguard_session=made-up")
            #expect(device.headers[.location] == "/login?next=%2Fdevices%2Fs1")
            let login = try await f.get(client, "/login?next=//evil.example/x", cookie: nil)
            #expect(login.status == .ok)
            let page = String(buffer: login.body)
            #expect(page.contains("name=\"token\"") && page.contains("type=\"password\""))
            #expect(page.contains("name=\"next\" value=\"/\""), "never back to another site")
            #expect(login.headers[.init("X-Frame-Options")!] == "DENY")
        }
    }

    @Test("signing in sets an HttpOnly, SameSite=Strict session cookie that is not the token")
    func signIn() async throws {
        let f = try await WebFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let r = try await f.post(
                client,
                "/login",
                cookie: nil,
                form: "token=\(ServerFixture.tokens[.duty]!)&next=%2Fdevices%2Fs1"
            )
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/devices/s1")
            let cookie = try #require(r.headers[.setCookie])
            #expect(cookie.hasPrefix("campusguard_session="))
            #expect(
                cookie.contains("; HttpOnly") && cookie.contains("; SameSite=Strict") && cookie.contains("; Path=/")
            )
            #expect(!cookie.contains("Secure"), "plain http without a https public_url")
            #expect(!cookie.contains(ServerFixture.tokens[.duty]!))
            let session = String(cookie.prefix { $0 != ";" })
            let board = try await f.get(client, "/", cookie: session)
            #expect(board.status == .ok)
            let page = String(buffer: board.body)
            #expect(page.contains("data-alarm=\"\(f.alarm)\""))
            #expect(page.contains("duty-person · duty"))
        }
    }

    @Test("a wrong token, or a sign-in posted from another site, opens no session")
    func badSignIn() async throws {
        let f = try await WebFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let wrong = try await f.post(client, "/login", cookie: nil, form: "token=not-a-token")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.headers[.setCookie] == nil)
            #expect(String(buffer: wrong.body).contains("This token is not valid"))
            let forged = try await f.post(
                client,
                "/login",
                cookie: nil,
                form: "token=\(ServerFixture.tokens[.duty]!)",
                origin: "http://evil.example"
            )
            #expect(forged.status == .forbidden)
            #expect(forged.headers[.setCookie] == nil)
        }
    }

    @Test("the acknowledge button goes to the engine as the API's command, as the signed-in person")
    func acknowledge() async throws {
        let f = try await WebFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let cookie = try await f.signIn(client, as: .duty)
            let page = String(buffer: try await f.get(client, "/", cookie: cookie).body)
            let token = try #require(WebFixture.formToken(in: page))
            let r = try await f.post(client, "/alarms/\(f.alarm)/ack", cookie: cookie, form: "form_token=\(token)")
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/?acknowledged=\(f.alarm)#alarm-\(f.alarm)")
        }
        #expect(f.engine.received == [.acknowledge(alarm: f.alarm, by: "duty-person")])
    }

    @Test("a form without the session's form token, from another origin, or with no origin is refused")
    func forgedForms() async throws {
        let f = try await WebFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let cookie = try await f.signIn(client, as: .duty)
            let page = String(buffer: try await f.get(client, "/", cookie: cookie).body)
            let token = try #require(WebFixture.formToken(in: page))
            let uri = "/alarms/\(f.alarm)/ack"
            let noToken = try await f.post(client, uri, cookie: cookie, form: "")
            let wrongToken = try await f.post(client, uri, cookie: cookie, form: "form_token=x\(token)")
            let otherSite = try await f.post(
                client,
                uri,
                cookie: cookie,
                form: "form_token=\(token)",
                origin: "http://evil.example"
            )
            let noOrigin = try await f.post(client, uri, cookie: cookie, form: "form_token=\(token)", origin: nil)
            for r in [noToken, wrongToken, otherSite, noOrigin] { #expect(r.status == .forbidden) }
            let signedOut = try await f.post(client, uri, cookie: nil, form: "form_token=\(token)")
            #expect(signedOut.status == .found)
        }
        #expect(f.engine.received.isEmpty)
    }

    @Test("a viewer sees the board but may not acknowledge: 403, nothing reaches the engine")
    func viewer() async throws {
        let f = try await WebFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let cookie = try await f.signIn(client, as: .viewer)
            let page = String(buffer: try await f.get(client, "/", cookie: cookie).body)
            #expect(!page.contains("/ack\""))
            let token = try #require(WebFixture.formToken(in: page), "the sign-out form carries it")
            let r = try await f.post(client, "/alarms/\(f.alarm)/ack", cookie: cookie, form: "form_token=\(token)")
            #expect(r.status == .forbidden)
            #expect(String(buffer: r.body).contains("may not acknowledge or resolve alarms"))
        }
        #expect(f.engine.received.isEmpty)
    }

    @Test("the engine's refusal is shown with its status; a resolve needs a note")
    func refusals() async throws {
        let f = try await WebFixture { _ throws(CommandError) in
            throw .refused(.conditionStillPresent(ServerFixture.alarm))
        }
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let cookie = try await f.signIn(client, as: .duty)
            let token = try #require(
                WebFixture.formToken(in: String(buffer: try await f.get(client, "/", cookie: cookie).body))
            )
            let uri = "/alarms/\(f.alarm)/resolve"
            let empty = try await f.post(client, uri, cookie: cookie, form: "form_token=\(token)&note=%20")
            #expect(empty.status == .unprocessableContent)
            let refused = try await f.post(client, uri, cookie: cookie, form: "form_token=\(token)&note=cleaned")
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains(ServerFixture.alarm))
        }
        #expect(f.engine.received == [.resolve(alarm: f.alarm, by: "duty-person", note: "cleaned")])
    }

    @Test("signing out, or deleting the token's line, ends the session")
    func sessionEnds() async throws {
        let f = try await WebFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let cookie = try await f.signIn(client, as: .duty)
            let token = try #require(
                WebFixture.formToken(in: String(buffer: try await f.get(client, "/", cookie: cookie).body))
            )
            let out = try await f.post(client, "/logout", cookie: cookie, form: "form_token=\(token)")
            #expect(out.status == .seeOther)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await f.get(client, "/", cookie: cookie).status == .found)

            let again = try await f.signIn(client, as: .duty)
            #expect(try await f.get(client, "/", cookie: again).status == .ok)
            let kept = try String(contentsOfFile: f.tokensFile, encoding: .utf8).split(separator: "\n")
                .filter { !$0.hasPrefix("duty-person") }
            try (kept.joined(separator: "\n") + "\n").write(toFile: f.tokensFile, atomically: true, encoding: .utf8)
            #expect(
                try await f.get(client, "/", cookie: again).status == .found,
                "a revoked token signs the browser out"
            )
        }
    }

    @Test("the cookie is Secure when the gateway is reached over https")
    func secureCookie() async throws {
        let f = try await WebFixture(publicURL: "https://gateway.test")
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let r = try await f.post(client, "/login", cookie: nil, form: "token=\(ServerFixture.tokens[.viewer]!)")
            #expect(r.headers[.setCookie]?.contains("; Secure") == true)
        }
    }

    @Test("the device page shows its values, a chart of the store's readings and its alarm history")
    func devicePage() async throws {
        let f = try await WebFixture(
            sources: WebPageSources(inspections: { device in
                device == "s2"
                    ? [WebInspectionRecord(at: testStart, by: "<maint>", result: "pass", note: "tested s2")] : []
            })
        )
        defer { f.remove() }
        try await f.store.append(readings: [
            Reading(device: "s2", channel: ChannelID(.battery), value: .number(90), timestamp: testStart - .hours(2)),
            Reading(device: "s2", channel: ChannelID(.battery), value: .number(80), timestamp: testStart),
            Reading(device: "s2", channel: ChannelID(.smoke), value: .bool(false), timestamp: testStart),
        ])
        try await f.server.application().test(.router) { client in
            let cookie = try await f.signIn(client, as: .viewer)
            let r = try await f.get(client, "/devices/s2", cookie: cookie)
            #expect(r.status == .ok)
            let page = String(buffer: r.body)
            #expect(page.contains("data-channel=\"battery\""))
            #expect(!page.contains("data-channel=\"smoke\""), "booleans get no chart")
            #expect(page.contains("<polyline class=\"line\" points=\""))
            #expect(page.contains("80 %"))
            #expect(page.contains("&lt;maint&gt;") && page.contains("tested s2"))
            let s1 = String(buffer: try await f.get(client, "/devices/s1", cookie: cookie).body)
            #expect(s1.contains("报警 raised") && s1.contains(f.alarm))
            #expect(s1.contains("No inspection records"))
            #expect(try await f.get(client, "/devices/nope", cookie: cookie).status == .notFound)
        }
    }

    @Test("the tickets page renders the open tickets the source gives")
    func ticketsPage() async throws {
        let f = try await WebFixture(
            sources: WebPageSources(openTickets: {
                [
                    WebTicketSummary(
                        id: "T-7",
                        title: "fire door wedged",
                        building: "dorm-a",
                        status: "assigned",
                        openedAt: testStart
                    )
                ]
            })
        )
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let cookie = try await f.signIn(client, as: .viewer)
            let page = String(buffer: try await f.get(client, "/tickets", cookie: cookie).body)
            #expect(
                page.contains("data-ticket=\"T-7\"") && page.contains("fire door wedged") && page.contains("assigned")
            )
        }
    }
}

extension WebRoutesTests {
    @Test("the device page lists the store's inspections and the tickets page its open tickets")
    func storeRecords() async throws {
        let f = try await WebFixture()
        defer { f.remove() }
        let at = ServerFixture.now
        _ = try await f.store.recordInspection(
            NewInspection(device: "s2", result: .fail, by: "li.gong", note: "buzzer <silent>"),
            at: at
        )
        let ticket = try await f.store.createTicket(
            NewTicket(title: "Exit & stairs blocked", building: "dorm-a", by: "li.gong"),
            at: at
        )
        try await f.server.application().test(.router) { client in
            let cookie = try await f.signIn(client, as: .viewer)
            let device = String(buffer: try await f.get(client, "/devices/s2", cookie: cookie).body)
            #expect(device.contains("li.gong"))
            #expect(device.contains("buzzer &lt;silent&gt;"))
            #expect(device.contains("<td>fail</td>"))
            let tickets = String(buffer: try await f.get(client, "/tickets", cookie: cookie).body)
            #expect(tickets.contains(ticket.id))
            #expect(tickets.contains("Exit &amp; stairs blocked"))
        }
    }
}
