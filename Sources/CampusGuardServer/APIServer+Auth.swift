import Foundation
import Hummingbird
import Logging

extension APIServer {
    /// The token of a request (`Authorization: Bearer TOKEN`), if it may do `permission`.
    func authorize(_ request: Request, _ permission: APIRole.Permission) throws(ServerError) -> APIToken {
        guard let header = request.headers[.authorization] else { throw .unauthorized }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw .unauthorized }
        let presented = parts[1].trimmingCharacters(in: .whitespaces)
        guard !presented.isEmpty, let token = tokens.authenticate(presented) else { throw .unauthorized }
        guard token.role.permits(permission) else {
            logger.notice(
                "API request refused: role may not do this",
                metadata: [
                    "api.token": "\(token.name)", "role": "\(token.role.rawValue)", "path": "\(request.uri.path)",
                ]
            )
            throw .forbidden(token, needs: permission)
        }
        return token
    }
}
