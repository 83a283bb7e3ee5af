/// A token's entry in the tokens file: who holds it and what it may do. The token itself is
/// never kept, only its SHA-256.
public struct APIToken: Sendable, Hashable {
    /// Who holds it; the default `by` of what it acknowledges or resolves.
    public var name: String
    public var role: APIRole

    public init(name: String, role: APIRole) {
        self.name = name
        self.role = role
    }
}
