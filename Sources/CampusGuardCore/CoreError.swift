/// Why a campus could not be assembled from a config and its profiles.
public struct CoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public var problems: [String]

    public init(_ problems: [String]) { self.problems = problems }

    public var description: String { problems.joined(separator: "\n") }
}
