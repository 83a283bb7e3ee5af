import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One request to the daemon and its answer, as scripts/openapi_check.py reads them.
struct APIExchange: Encodable {
    var method: String
    var path: String
    var query: String?
    var requestHeaders: [String: String]
    var requestContentType: String?
    var requestBody: String?
    var status: Int
    var contentType: String
    var body: String

    enum CodingKeys: String, CodingKey {
        case method, path, query, status, body
        case requestHeaders = "request_headers"
        case requestContentType = "request_content_type"
        case requestBody = "request_body"
        case contentType = "content_type"
    }

    /// Sends one request (with `token`, when given) and records it with its answer.
    static func send(
        _ method: String,
        _ base: String,
        _ target: String,
        token: String? = nil,
        json: String? = nil
    ) async throws -> APIExchange {
        var request = URLRequest(url: URL(string: base + target)!, timeoutInterval: 10)
        request.httpMethod = method
        var headers: [String: String] = [:]
        if let token {
            headers["Authorization"] = "Bearer \(token)"
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(json.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        return APIExchange(
            method: method,
            path: parts[0],
            query: parts.count > 1 ? parts[1] : nil,
            requestHeaders: headers,
            requestContentType: json == nil ? nil : "application/json",
            requestBody: json,
            status: http?.statusCode ?? 0,
            contentType: http?.value(forHTTPHeaderField: "Content-Type") ?? "",
            body: String(decoding: data, as: UTF8.self)
        )
    }
}
