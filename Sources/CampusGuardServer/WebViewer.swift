/// Who is looking at a page: the holder of the token the browser signed in with, its role, and
/// the form token every POST of the session carries.
struct WebViewer: Sendable, Hashable {
    var name: String
    var role: APIRole
    var formToken: String

    /// Whether the page shows acknowledge and resolve buttons.
    var mayRespond: Bool { role.permits(.respond) }
}
