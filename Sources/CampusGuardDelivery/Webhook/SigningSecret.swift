import Foundation

/// A secret that signs (a channel's, the acknowledge links'): its bytes, and nothing that prints them.
public struct SigningSecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public let bytes: [UInt8]

    public init(_ text: String) { bytes = Array(text.utf8) }

    /// A secret given as its bytes (the acknowledge links' key, read by the API server).
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Reads a secret file once: its content without the trailing newline an editor leaves.
    /// The error names the file, never its content.
    public init(file path: String, owner channel: String) throws(DeliveryError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .channel(id: channel, problem: "cannot read the secret file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .channel(id: channel, problem: "the secret file \(path) is not UTF-8 text")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .channel(id: channel, problem: "the secret file \(path) is empty") }
        self.init(trimmed)
    }

    public var description: String { "<secret, \(bytes.count) bytes>" }
    public var debugDescription: String { description }
}
