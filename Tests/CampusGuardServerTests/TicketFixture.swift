import CampusGuardCore
import CampusGuardServer
import CampusGuardStore
import Foundation

/// The server fixture's tokens, store and fake engine, with a site that has devices and two
/// buildings: what the ticket and inspection routes check bodies against.
struct TicketFixture {
    static let smoke = "dorm-a-301-smoke-1"
    static let gas = "canteen-gas-1"

    let base: ServerFixture
    let server: APIServer
    var store: Store { base.store }

    init() async throws {
        base = try await ServerFixture()
        let config = SiteConfig(
            site: .init(id: "demo", name: "Demo School", timezone: "Asia/Shanghai"),
            buildings: [
                Building(id: "dorm-a", name: "Dormitory A", kind: .dormitory),
                Building(id: "canteen", name: "Canteen", kind: .canteen),
            ],
            devices: [
                DeviceConfig(id: Self.smoke, profile: "heiman-hs1sa", location: LocationPath("dorm-a/3/301")!),
                DeviceConfig(
                    id: Self.gas,
                    name: "后厨燃气",
                    profile: "heiman-hs1cg",
                    location: LocationPath("canteen/1/kitchen")!
                ),
            ],
            api: .init(listen: "127.0.0.1:0", tokensFile: base.tokensFile)
        )
        server = try APIServer(
            config: config,
            commands: base.engine,
            store: base.store,
            logger: base.log.logger,
            clock: { ServerFixture.now }
        )
    }

    func remove() { base.remove() }

    /// The answer's JSON as Foundation objects, for reading fields.
    static func object(_ body: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
    }
}
