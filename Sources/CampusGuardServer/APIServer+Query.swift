import CampusGuardCore
import Foundation
import Hummingbird

extension APIServer {
    /// A query parameter, trimmed; nil when absent or empty.
    static func query(_ request: Request, _ name: String) -> String? {
        guard let value = request.uri.queryParameters.get(name) else { return nil }
        let text = value.trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : text
    }

    /// An RFC 3339 instant from the query (`since=2026-11-20T08:00:00+08:00`); 422 when not one.
    static func instant(_ request: Request, _ name: String) throws(ServerError) -> Instant? {
        guard let text = query(request, name) else { return nil }
        // An unencoded `+08:00` arrives as ` 08:00` (a `+` in a query is a space).
        guard let instant = RFC3339.parse(text) ?? RFC3339.parse(text.replacing(" ", with: "+")) else {
            throw .badQuery("\(name)=\(text) is not an RFC 3339 time such as 2026-11-20T08:00:00+08:00")
        }
        return instant
    }

    /// A count from the query within `range`, else `default`; 422 outside it.
    static func limit(_ request: Request, default value: Int, max: Int) throws(ServerError) -> Int {
        guard let text = query(request, "limit") else { return value }
        guard let n = Int(text), (1...max).contains(n) else {
            throw .badQuery("limit=\(text) must be a whole number from 1 to \(max)")
        }
        return n
    }
}
