import CampusGuardCore
import CampusGuardServer
import CampusGuardStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Decodes a JSON object answer.
func object(_ body: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "\(body)")
}

@Suite("API: devices")
struct DeviceRoutesTests {
    @Test("GET devices lists every configured device with status, kind, values, alarms and Contact ID")
    func list() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let r = try await f.send(client, .get, "/api/v1/devices", as: .viewer)
            #expect(r.status == .ok)
            let devices = try #require(try object(r.body)["devices"] as? [[String: Any]])
            #expect(
                devices.map { $0["id"] as? String } == ["dorm-a-301-smoke-1", "dorm-a-302-smoke-1", "gate-panic-1"]
            )
            let smoke = devices[0]
            #expect(smoke["status"] as? String == "alarm")
            #expect(smoke["kind"] as? String == "smoke_detector")
            #expect(smoke["battery"] as? Double == 87)
            #expect(smoke["link_quality"] as? Double == 120)
            #expect(smoke["last_seen"] as? String == RFC3339.format(ServerFixture.now - .seconds(60)))
            let profile = smoke["profile"] as? [String: Any]
            #expect(profile?["vendor"] as? String == "HEIMAN" && profile?["model"] as? String == "HS1SA")
            let location = smoke["location"] as? [String: Any]
            #expect(location?["building_name"] as? String == "Dormitory A" && location?["room"] as? String == "301")
            let battery = (smoke["values"] as? [String: Any])?["battery"] as? [String: Any]
            #expect(battery?["unit"] as? String == "%" && battery?["value"] as? Double == 87)
            let alarms = smoke["open_alarms"] as? [[String: Any]] ?? []
            #expect(alarms.map { $0["kind"] as? String } == ["smoke"])
            let contact = smoke["contact_id"] as? [String: Any]
            #expect(contact?["group"] as? Int == 1 && contact?["zone"] as? Int == 1)
            #expect(devices[1]["status"] as? String == "disabled", "a disabled device: its smoke was ignored")
            #expect((devices[1]["open_alarms"] as? [Any])?.isEmpty == true)
            #expect(devices[2]["kind"] as? String == "panic_button")
            #expect((devices[2]["contact_id"] as? [String: Any])?["group"] as? Int == 2)
        }
    }

    @Test("filters by building, kind and status; a bad filter is 422 bad_query")
    func filters() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            func ids(_ query: String) async throws -> [String] {
                let r = try await f.send(client, .get, "/api/v1/devices?" + query, as: .viewer)
                #expect(r.status == .ok, "\(r.body)")
                return (try object(r.body)["devices"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(try await ids("building=gate") == ["gate-panic-1"])
            #expect(try await ids("kind=smoke_detector") == ["dorm-a-301-smoke-1", "dorm-a-302-smoke-1"])
            #expect(try await ids("status=disabled") == ["dorm-a-302-smoke-1"])
            #expect(try await ids("status=alarm&building=dorm-a") == ["dorm-a-301-smoke-1"])
            #expect(try await ids("status=offline") == [])
            for bad in ["status=broken", "kind=toaster", "building=nowhere"] {
                let r = try await f.send(client, .get, "/api/v1/devices?" + bad, as: .viewer)
                #expect(r.status == .unprocessableContent, "\(bad)")
                #expect(r.body.contains(#""error":"bad_query""#))
            }
        }
    }

    @Test("GET one device; an unknown one is 404 unknown_device; no token is 401")
    func one() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        try await f.server.application().test(.router) { client in
            let r = try await f.send(client, .get, "/api/v1/devices/gate-panic-1", as: .viewer)
            #expect(r.status == .ok)
            #expect((try object(r.body)["device"] as? [String: Any])?["id"] as? String == "gate-panic-1")
            let missing = try await f.send(client, .get, "/api/v1/devices/nope", as: .viewer)
            #expect(missing.status == .notFound)
            #expect(missing.body.contains(#""error":"unknown_device""#))
            let none = try await f.send(client, .get, "/api/v1/devices/gate-panic-1", as: nil)
            #expect(none.status == .unauthorized)
        }
    }

    @Test("readings history from the store: channel, since, until, limit; 422 on bad input")
    func readings() async throws {
        let f = try await ServerFixture()
        defer { f.remove() }
        let t0 = ServerFixture.now - .seconds(600)
        try await f.store.append(
            readings: (0..<5).map { i in
                Reading(
                    device: "dorm-a-301-smoke-1",
                    channel: ChannelID(.battery),
                    value: .number(Double(90 - i)),
                    timestamp: t0 + .seconds(Int64(i) * 60),
                    source: .mqtt
                )
            } + [
                Reading(device: "dorm-a-301-smoke-1", channel: ChannelID(.smoke), value: .bool(true), timestamp: t0),
                Reading(device: "gate-panic-1", channel: ChannelID(.button), value: .event("single"), timestamp: t0),
            ]
        )
        try await f.server.application().test(.router) { client in
            let all = try object(
                try await f.send(client, .get, "/api/v1/devices/dorm-a-301-smoke-1/readings", as: .viewer).body
            )
            #expect((all["readings"] as? [Any])?.count == 6)
            #expect(all["truncated"] as? Bool == false)
            let since = RFC3339.format(t0 + .seconds(60)).replacing("+", with: "%2B")
            let r = try await f.send(
                client,
                .get,
                "/api/v1/devices/dorm-a-301-smoke-1/readings?channel=battery&since=\(since)&limit=2",
                as: .viewer
            )
            let page = try object(r.body)
            let readings = page["readings"] as? [[String: Any]] ?? []
            #expect(readings.map { $0["value"] as? Double } == [89, 88])
            #expect(readings.first?["unit"] as? String == "%" && readings.first?["source"] as? String == "mqtt")
            #expect(page["truncated"] as? Bool == true)
            for bad in ["channel=wattage", "since=yesterday", "limit=0", "limit=10001"] {
                let b = try await f.send(
                    client,
                    .get,
                    "/api/v1/devices/dorm-a-301-smoke-1/readings?" + bad,
                    as: .viewer
                )
                #expect(b.status == .unprocessableContent, "\(bad)")
            }
            let missing = try await f.send(client, .get, "/api/v1/devices/nope/readings", as: .viewer)
            #expect(missing.status == .notFound)
        }
    }
}
