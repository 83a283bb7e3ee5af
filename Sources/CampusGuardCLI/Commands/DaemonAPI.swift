import ArgumentParser
import CampusGuardCore
import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The running daemon's HTTP API (docs/api.md) as the CLI calls it: one request with a
/// token, its JSON answer, or a plain-words error on stderr and exit status 1.
struct DaemonAPI {
    var base: String
    var token: String
    /// The command's name in error lines: `campusguard drill start`.
    var command: String
    /// What to tell a person whose token's role may not do this (403).
    var roleHint = "Drills need a token with role admin"

    /// The token from `--token-file` (the whole file, trimmed) or else `CAMPUSGUARD_TOKEN`.
    static func token(file: String?, environment: [String: String], command: String) throws -> String {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                StandardError.write("\(command): cannot read the token file \(file)")
                throw ExitCode(1)
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty, !token.contains(where: \.isWhitespace) else {
                StandardError.write("\(command): \(file) must hold one token (as `campusguard token add` prints it)")
                throw ExitCode(1)
            }
            return token
        }
        if let token = environment["CAMPUSGUARD_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines),
            !token.isEmpty
        {
            return token
        }
        StandardError.write(
            "\(command): no API token: give --token-file FILE or set CAMPUSGUARD_TOKEN "
                + "(make an admin token with `campusguard token add NAME --role admin --config FILE`)"
        )
        throw ExitCode(1)
    }

    /// Sends the request; the answer's JSON when the status is 2xx.
    func send(_ method: String, _ path: String, json: String? = nil) async throws -> JSONValue {
        let text = try await sendText(method, path, json: json)
        guard let answer = try? JSONParser.parse(text) else { try fail("the daemon's answer is not JSON") }
        return answer
    }

    /// Sends the request; the answer's text when the status is 2xx.
    func sendText(_ method: String, _ path: String, json: String? = nil) async throws -> String {
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard let url = URL(string: trimmed + path), url.scheme == "http" || url.scheme == "https" else {
            try fail("--url \(base) is not an http:// or https:// URL")
        }
        var request = URLRequest(url: url, timeoutInterval: 15)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let json {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(json.utf8)
        }
        let data: Data
        let status: Int
        do {
            let (body, response) = try await URLSession.shared.data(for: request)
            data = body
            status = (response as? HTTPURLResponse)?.statusCode ?? 0
        } catch let error as URLError {
            try fail(Self.words(error, base: trimmed))
        } catch {
            try fail("cannot talk to the daemon at \(trimmed): \(error)")
        }
        let text = String(decoding: data, as: UTF8.self)
        guard (200..<300).contains(status) else {
            var reason = ""
            if case .string(let r)? = (try? JSONParser.parse(text))?["reason"] { reason = r }
            try fail(Self.words(status: status, reason: reason, roleHint: roleHint))
        }
        return text
    }

    private func fail(_ message: String) throws -> Never {
        StandardError.write("\(command): \(message)")
        throw ExitCode(1)
    }

    static func words(status: Int, reason: String, roleHint: String = "Drills need a token with role admin") -> String {
        let detail = reason.isEmpty ? "" : ": \(reason)"
        switch status {
        case 401:
            return "the daemon does not know this token (401 unauthorized). Check --token-file or "
                + "CAMPUSGUARD_TOKEN, and that the token's line is in the daemon's api.tokens_file"
        case 403:
            return "this token's role may not do this (403 forbidden)\(detail). \(roleHint)"
        case 404: return "not found (404)\(detail)"
        case 422: return "the daemon refused the request (422)\(detail)"
        case 503: return "the daemon cannot do it now (503)\(detail)"
        default: return "the daemon answered HTTP \(status)\(detail)"
        }
    }

    static func words(_ error: URLError, base: String) -> String {
        switch error.code {
        case .cannotConnectToHost, .cannotFindHost, .networkConnectionLost, .notConnectedToInternet:
            return "cannot reach the daemon at \(base) (connection refused). Is `campusguard run` running, "
                + "and is its api.listen this address? (--url)"
        case .timedOut: return "the daemon at \(base) did not answer in 15 s"
        default: return "cannot talk to the daemon at \(base): \(error.localizedDescription)"
        }
    }
}
