import Foundation
import Hummingbird

extension APIServer {
    /// Bodies larger than this are refused (413): a note is a few lines.
    static let maxBodySize = 64 * 1024

    /// The request's JSON body as `T`; `empty` when there is no body. A body that is not
    /// valid JSON of that shape is a 422 with the reason.
    func decode<T: Decodable>(_ type: T.Type, from request: Request, empty: T? = nil) async throws -> T {
        let text = try await bodyText(request)
        if text.allSatisfy(\.isWhitespace), let empty { return empty }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw ServerError.badBody(Self.describe(error))
        }
    }

    func bodyText(_ request: Request) async throws -> String {
        var request = request
        let buffer = try await request.collectBody(upTo: Self.maxBodySize)
        return String(buffer: buffer)
    }

    /// A person's name as given in a body or form: trimmed, one line, at most 64 characters.
    static func personName(_ text: String?) throws(ServerError) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        guard text.count <= 64, !text.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) })
        else { throw .badBody("\"by\" must be one line of at most 64 characters") }
        return text
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ c: DecodingError.Context) -> String {
            c.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, _): return "\"\(key.stringValue)\" is required"
        case .typeMismatch(_, let c): return "\"\(path(c))\" has the wrong type"
        case .valueNotFound(_, let c): return "\"\(path(c))\" must not be null"
        case .dataCorrupted(let c):
            return c.codingPath.isEmpty ? "the body must be a JSON object" : "\"\(path(c))\" is not valid"
        @unknown default: return "the body must be a JSON object"
        }
    }
}
