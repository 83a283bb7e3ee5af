import CampusGuardCore
import Foundation
import Hummingbird
import Logging

extension APIServer {
    /// The viewer of a request: its session cookie names a live session whose token is still
    /// in the tokens file. Nil: sign in first.
    func webViewer(_ request: Request, _ sessions: WebSessions) -> WebViewer? {
        guard let id = request.cookies[WebSessions.cookie]?.value, !id.isEmpty,
            let session = sessions.session(id, now: clock()),
            let token = tokens.authenticate(session.token)
        else { return nil }
        return WebViewer(name: token.name, role: token.role, formToken: session.formToken)
    }

    /// To the sign-in page, coming back to this page afterwards (for a GET).
    func signInFirst(_ request: Request) -> Response {
        var next = "/"
        if request.method == .get, Self.isLocalPath(request.uri.path) {
            next = request.uri.path
        }
        let query =
            next == "/" ? "" : "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        return .redirect(to: "/login" + query, type: .found)
    }

    /// A path on this server (`/devices/x`), never `//elsewhere` or `https://…`: where sign-in may return to.
    static func isLocalPath(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//") && !path.contains("\\")
            && !path.unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) }
    }

    /// Whether a POST comes from a page of this server: its `Origin` (or, without one, its
    /// `Referer`) names the host the request was sent to, or `api.public_url`. With the
    /// SameSite=Strict cookie and the form token, this keeps other sites from posting forms here.
    func isSameOrigin(_ request: Request) -> Bool {
        guard let source = request.headers[.origin] ?? request.headers[.referer], source != "null",
            let origin = Self.authority(of: source)
        else { return false }
        if let host = request.head.authority, origin == host.lowercased() { return true }
        if let publicURL = site.api.publicURL, let allowed = Self.authority(of: publicURL), origin == allowed {
            return true
        }
        return false
    }

    /// `http://Gateway.lan:8080/x` → `gateway.lan:8080`.
    static func authority(of url: String) -> String? {
        guard let u = URLComponents(string: url), let host = u.host, !host.isEmpty else { return nil }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return (bracketed + (u.port.map { ":\($0)" } ?? "")).lowercased()
    }

    /// Whether the session cookie gets `Secure`: the gateway is reached over https (it serves
    /// TLS itself, `api.public_url` is https, or a TLS proxy in front says `X-Forwarded-Proto: https`).
    func secureCookie(_ request: Request) -> Bool {
        if tls != nil { return true }
        if site.api.publicURL?.lowercased().hasPrefix("https://") == true { return true }
        return request.headers[.init("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// The `Set-Cookie` value for a session id; nil id: the cookie is removed.
    func sessionCookie(_ id: String?, request: Request) -> String {
        var parts = ["\(WebSessions.cookie)=\(id ?? "")", "Path=/", "HttpOnly", "SameSite=Strict"]
        parts.append("Max-Age=\(id == nil ? 0 : WebSessions.lifetime.milliseconds / 1000)")
        if secureCookie(request) { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }

    /// Equal texts in a time that does not depend on where they differ.
    static func sameSecret(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}
