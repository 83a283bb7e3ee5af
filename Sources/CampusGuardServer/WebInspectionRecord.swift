import CampusGuardCore

/// One inspection of a device as the device page lists it: who tested it, when, and the result.
public struct WebInspectionRecord: Sendable, Hashable {
    public var at: Instant
    public var by: String
    /// In a word or two: `pass`, `fail`, `test reading received`, …
    public var result: String
    public var note: String?

    public init(at: Instant, by: String, result: String, note: String? = nil) {
        self.at = at
        self.by = by
        self.result = result
        self.note = note
    }
}
