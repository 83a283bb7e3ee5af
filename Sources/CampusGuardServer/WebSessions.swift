import CampusGuardCore
import Foundation
import Synchronization

/// Browsers signed in to the web page. The cookie carries only a random session id; the token
/// the person signed in with stays here, in memory, and is checked against the tokens file on
/// every request, so deleting its line signs the browser out at once. Sessions end after
/// `lifetime`, at sign-out, and when the daemon restarts.
final class WebSessions: Sendable {
    /// One signed-in browser.
    struct Session: Sendable {
        /// The API token given at sign-in; never logged, never sent back.
        let token: String
        /// The form token every POST of this session must carry.
        let formToken: String
        let expires: Instant
    }

    /// The cookie's name.
    static let cookie = "campusguard_session"
    /// A duty shift and a bit: staff sign in once per shift.
    static let lifetime = Interval.hours(12)
    /// At most this many sessions; the one closest to its end goes first.
    static let limit = 1000

    private let sessions = Mutex<[String: Session]>([:])

    /// Opens a session for `token` (already checked); its id for the cookie.
    func open(token: String, now: Instant) -> (id: String, session: Session) {
        let id = Self.randomToken()
        let session = Session(token: token, formToken: Self.randomToken(), expires: now + Self.lifetime)
        sessions.withLock { all in
            all = all.filter { $0.value.expires > now }
            if all.count >= Self.limit, let first = all.min(by: { $0.value.expires < $1.value.expires }) {
                all[first.key] = nil
            }
            all[id] = session
        }
        return (id, session)
    }

    /// The session of a cookie's id, unless it has ended.
    func session(_ id: String, now: Instant) -> Session? {
        sessions.withLock { all in
            guard let s = all[id] else { return nil }
            guard s.expires > now else {
                all[id] = nil
                return nil
            }
            return s
        }
    }

    func close(_ id: String) { _ = sessions.withLock { $0.removeValue(forKey: id) } }

    var count: Int { sessions.withLock { $0.count } }

    /// 32 random bytes from the system's generator, base64url without padding (43 characters).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
