import CampusGuardCore
import CampusGuardStore
import Hummingbird
import Logging
import NIOPosix

extension APIServer {
    func addReadingRoutes(to router: Router<BasicRequestContext>) {
        router.get("api/v1/devices/:id/readings") { request, context in
            _ = try self.authorize(request, .read)
            let id = try context.parameters.require("id")
            guard let device = self.site.devices.first(where: { $0.id == id }) else {
                throw ServerError.unknownDevice(id)
            }
            let channel = try Self.query(request, "channel").map { text throws(ServerError) in
                guard let channel = ChannelID(text) else {
                    throw .badQuery("channel=\(text) is not a channel name such as smoke or residual_current.3")
                }
                return channel
            }
            let since = try Self.instant(request, "since") ?? self.clock() - .hours(24)
            let until = try Self.instant(request, "until")
            let limit = try Self.limit(request, default: 1000, max: 10_000)
            let query = StoreQuery(since: since, until: until, device: id, channel: channel, limit: limit + 1)
            let readings = try await self.readStore("readings") { store throws(StoreError) -> [StoredReading] in
                var out: [StoredReading] = []
                try store.forEachReading(query) { out.append($0) }
                return out
            }
            let view = self.view(device, board: .empty)
            let lines = readings.prefix(limit).map { stored in
                let r = stored.reading
                var w = JSONObjectWriter()
                w.string("ts", RFC3339.format(r.timestamp))
                w.string("channel", r.channel.description)
                w.raw("value", JSONObjectWriter.encode(r.value))
                w.raw("unit", DeviceView.quoted(view.unit(r.channel)))
                w.bool("test", r.selfTest)
                w.string("source", r.source.rawValue)
                return w.finish()
            }
            var w = JSONObjectWriter()
            w.string("device", id)
            w.string("since", RFC3339.format(since))
            w.raw("until", DeviceView.time(until))
            w.raw("readings", "[" + lines.joined(separator: ",") + "]")
            w.bool("truncated", readings.count > limit)
            return Response.json(w.finish())
        }
    }

    /// Runs a read of the store off the concurrency pool; 503 without a store or when it fails.
    func readStore<T: Sendable>(
        _ what: String,
        _ body: @escaping @Sendable (Store) throws(StoreError) -> T
    ) async throws(ServerError) -> T {
        guard let store else {
            throw .storeUnavailable("this daemon runs without a store; \(what) cannot be read")
        }
        do {
            return try await NIOThreadPool.singleton.runIfActive { try body(store) }
        } catch let error as StoreError {
            logger.error("cannot read the store", metadata: ["what": "\(what)", "error": "\(error)"])
            throw .storeUnavailable("the store cannot be read: \(error)")
        } catch {
            logger.error("cannot read the store", metadata: ["what": "\(what)", "error": "\(error)"])
            throw .storeUnavailable("the store cannot be read now: \(error)")
        }
    }
}
