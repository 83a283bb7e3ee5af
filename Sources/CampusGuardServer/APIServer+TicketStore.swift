import CampusGuardCore
import CampusGuardStore
import Foundation
import Hummingbird
import Logging
import NIOPosix

extension APIServer {
    /// Reads from the store off the concurrency pool; a store refusal or failure becomes the
    /// HTTP answer (`ServerError.store`).
    func fromStore<T: Sendable>(_ body: @escaping @Sendable (Store) throws(StoreError) -> T) async throws -> T {
        guard let store else {
            throw ServerError.storeUnavailable("this daemon runs without a store (storage.path)")
        }
        do {
            return try await NIOThreadPool.singleton.runIfActive { try body(store) }
        } catch let error as StoreError {
            throw self.answer(error)
        }
    }

    /// Writes to the store (on its writer queue); a refusal or failure becomes the HTTP answer.
    func intoStore<T: Sendable>(_ body: (Store) async throws(StoreError) -> T) async throws(ServerError) -> T {
        guard let store else { throw .storeUnavailable("this daemon runs without a store (storage.path)") }
        do {
            return try await body(store)
        } catch {
            throw answer(error)
        }
    }

    private func answer(_ error: StoreError) -> ServerError {
        let answer = ServerError.storeRefusal(error)
        if answer.status == .serviceUnavailable {
            logger.error("store request failed", metadata: ["error": "\(error)"])
        }
        return answer
    }

    /// The year of `time` in the site's time zone: hazard ticket ids count per school year
    /// as the school sees it (`T-2026-0001`).
    func siteYear(_ time: Instant) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: site.site.timezone) ?? TimeZone(secondsFromGMT: 0)!
        return calendar.component(.year, from: Date(timeIntervalSince1970: Double(time.millisecondsSinceEpoch) / 1000))
    }

    /// An RFC 3339 query parameter; a bad one is a 422 naming it.
    static func queryInstant(_ text: String?, _ name: String) throws(ServerError) -> Instant? {
        guard let text, !text.isEmpty else { return nil }
        guard let t = RFC3339.parse(text) else {
            throw .badTicketQuery("\"\(name)\" must be an RFC 3339 time such as 2026-11-20T08:00:00+08:00")
        }
        return t
    }
}
