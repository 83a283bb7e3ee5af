import CampusGuardCLI
import CampusGuardCore
import CampusGuardServer
import CampusGuardTestKit
import Foundation
import ServiceLifecycle
import Testing

extension IntegrationTests {
    /// The API over HTTPS on a LAN: `api.tls_cert_file` and `api.tls_key_file`, certificates
    /// made with openssl, a real client (curl) that trusts only the test's CA.
    @Suite("HTTP API over TLS", .serialized, .timeLimit(.minutes(2)))
    struct APIServerTLSTests {
        static func config(port: Int, dir: URL, cert: String, key: String) -> SiteConfig {
            SiteConfig(
                site: .init(id: "demo", name: "Demo"),
                buildings: [],
                devices: [],
                api: .init(
                    listen: "127.0.0.1:\(port)",
                    tokensFile: dir.appendingPathComponent("tokens").path,
                    tlsCertFile: cert,
                    tlsKeyFile: key
                )
            )
        }

        /// curl's exit status and what it printed (stdout and stderr together).
        static func curl(_ arguments: [String], in dir: URL) -> (Int32, String) {
            let log = dir.appendingPathComponent("curl-\(UUID().uuidString).log").path
            guard let p = try? ChildProcess("/usr/bin/curl", ["-sS", "--max-time", "10"] + arguments, output: log)
            else {
                return (-1, "curl did not start")
            }
            let status = p.wait(timeout: 20) ?? -1
            return (status, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        }

        @Test(
            "with a certificate and key the API answers HTTPS a client can verify, and no plain HTTP",
            .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"), "curl is not installed")
        )
        func https() async throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try MQTTSecurityTests.makeCertificates(in: dir)
            let port = try FreePort.find()
            let server = try APIServer(
                config: Self.config(
                    port: port,
                    dir: dir,
                    cert: dir.appendingPathComponent("server.crt").path,
                    key: dir.appendingPathComponent("server.key").path
                ),
                commands: APIServerTests.Commands(),
                store: nil,
                logger: .test,
                clock: Gateway.wallClock
            )
            let group = ServiceGroup(services: [server], logger: .test)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try FreePort.waitUntilListening(port, timeout: 10)
                let ca = dir.appendingPathComponent("ca.crt").path
                let (ok, body) = Self.curl(["--cacert", ca, "https://127.0.0.1:\(port)/healthz"], in: dir)
                #expect(ok == 0 && body == "ok", "\(body)")
                let (untrusted, _) = Self.curl(["https://127.0.0.1:\(port)/healthz"], in: dir)
                #expect(untrusted != 0, "a client that does not trust the CA refuses the certificate")
                let (plain, _) = Self.curl(["http://127.0.0.1:\(port)/healthz"], in: dir)
                #expect(plain != 0, "no plain HTTP on a TLS listener")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }

        @Test("a certificate file that cannot be read stops the start with the reason")
        func unreadable() throws {
            let dir = FileManager.default.temporaryDirectory
            #expect {
                _ = try APIServer(
                    config: Self.config(
                        port: 8443,
                        dir: dir,
                        cert: "/nonexistent/api.crt",
                        key: "/nonexistent/api.key"
                    ),
                    commands: APIServerTests.Commands(),
                    store: nil,
                    logger: .test,
                    clock: Gateway.wallClock
                )
            } throws: { error in
                "\(error)".contains("/nonexistent/api.crt")
            }
        }
    }
}
