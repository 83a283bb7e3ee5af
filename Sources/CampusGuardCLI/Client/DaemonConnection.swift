import ArgumentParser
import Foundation

/// `--url` and `--token-file`: where the daemon's API is and the token to use, for every
/// command that talks to the running daemon (docs/cli.md).
struct DaemonConnection: ParsableArguments {
    @Option(name: .long, help: "The daemon's HTTP API (its api.listen).")
    var url = "http://127.0.0.1:8080"

    @Option(name: .long, help: "A file holding an API token; default: the CAMPUSGUARD_TOKEN variable.")
    var tokenFile: String?

    /// The API client for `command` (its name in error lines); `needs` names the roles that
    /// may do what it does, for the words of a 403.
    func api(_ command: String, needs: String) throws -> DaemonAPI {
        let token = try DaemonAPI.token(
            file: tokenFile,
            environment: ProcessInfo.processInfo.environment,
            command: command
        )
        return DaemonAPI(base: url, token: token, command: command, needs: needs)
    }
}
