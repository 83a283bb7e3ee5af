import ArgumentParser
import CampusGuardConfig
import CampusGuardCore
import CampusGuardServer

/// `campusguard token`: API tokens for the HTTP API (docs/api.md).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage the HTTP API's tokens.",
        subcommands: [Add.self]
    )

    /// `campusguard token add NAME --role ROLE --config FILE`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Make a new API token and add its hash to the tokens file.",
            discussion: """
                Makes a random token (32 bytes, base64url), appends "NAME ROLE SHA256" to the config's \
                api.tokens_file (created with mode 0600 when missing) and prints the token on stdout: \
                the only time it is shown, so keep it now. A running daemon sees the new token at once. \
                Roles: viewer (read), duty (acknowledge and resolve alarms), maintenance (maintenance \
                mode), admin (everything). To revoke a token, delete its line from the file.
                """
        )

        @Argument(help: "Who holds the token (one word, e.g. wang.li); the default name on what it acknowledges.")
        var name: String

        @Option(name: .long, help: "viewer, duty, maintenance or admin.")
        var role: String

        @Option(name: .long, help: "The config file (YAML); its api.tokens_file is the file written.")
        var config: String

        func validate() throws {
            guard APIRole(rawValue: role) != nil else {
                throw ValidationError(
                    "--role \"\(role)\" is not one of \(APIRole.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            guard TokenFile.isValidName(name) else {
                throw ValidationError("the name must be one word without spaces, at most 64 characters")
            }
        }

        func run() throws {
            let loaded = try loadConfigOrExit(config)
            let path = loaded.config.api.tokensFile
            let token: String
            do {
                token = try TokenFile.add(name: name, role: APIRole(rawValue: role)!, path: path)
            } catch {
                StandardError.write("error: \(error.reason)")
                throw ExitCode(1)
            }
            print(token)
            StandardError.write(
                "Token for \(name) (\(role)) added to \(path). It is shown only this once; "
                    + "send it as the header `Authorization: Bearer TOKEN`."
            )
        }
    }
}
