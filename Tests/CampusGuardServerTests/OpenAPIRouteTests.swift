import CampusGuardServer
import Foundation
import Hummingbird
import Testing
import Yams

/// docs/openapi.yaml and the router hold the same routes: a route added to the server without
/// documenting it, or documented and not served, fails here.
@Suite("OpenAPI document: the same routes as the router")
struct OpenAPIRouteTests {
    static let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml").path

    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// `METHOD /path/{param}` for every operation in the document.
    static func documented() throws -> Set<String> {
        let text = try String(contentsOfFile: document, encoding: .utf8)
        let root = try #require(try Yams.load(yaml: text) as? [String: Any])
        #expect(root["openapi"] as? String == "3.1.0")
        let paths = try #require(root["paths"] as? [String: Any])
        var out: Set<String> = []
        for (path, item) in paths {
            for key in (item as? [String: Any] ?? [:]).keys where methods.contains(key) {
                out.insert("\(key.uppercased()) \(path)")
            }
        }
        return out
    }

    /// `METHOD /path/{param}` for every route of the router (`:param` written as `{param}`), of
    /// a server that observes a daemon, so that `/readyz` and `/metrics` are served too.
    static func served() async throws -> Set<String> {
        let f = try await ServerFixture(observation: FakeObservation())
        defer { f.remove() }
        return Set(
            f.server.router().routes.map { route in
                let path = route.path.description.split(separator: "/", omittingEmptySubsequences: false).map { part in
                    part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
                }.joined(separator: "/")
                return "\(route.method.rawValue) \(path)"
            }
        )
    }

    @Test("every route the server answers is in docs/openapi.yaml with the same method, and nothing else is")
    func sameRoutes() async throws {
        let documented = try Self.documented()
        let served = try await Self.served()
        #expect(served.count >= 15, "\(served.sorted())")
        #expect(served.isSuperset(of: ["GET /healthz", "GET /readyz", "GET /metrics"]), "\(served.sorted())")
        #expect(served.subtracting(documented).sorted() == [], "served but not documented")
        #expect(documented.subtracting(served).sorted() == [], "documented but not served")
    }

    @Test("the comparison sees a route that is not documented")
    func detectsMissing() async throws {
        let documented = try Self.documented()
        var served = try await Self.served()
        served.insert("GET /api/v1/undocumented")
        #expect(served.subtracting(documented) == ["GET /api/v1/undocumented"])
    }
}
