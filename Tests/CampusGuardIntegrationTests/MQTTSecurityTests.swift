import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Foundation
import Testing

/// TLS and authentication against a real broker, with certificates made by the test.
extension IntegrationTests {
    @Suite("MQTT TLS and credentials", .serialized, .timeLimit(.minutes(2)))
    struct MQTTSecurityTests {
        static func run(_ executable: String, _ arguments: [String], in directory: URL) throws {
            let log = directory.appendingPathComponent("commands.log").path
            let p = try ChildProcess(executable, arguments, output: log)
            guard p.wait(timeout: 30) == 0 else {
                throw TestError(
                    "\(executable) \(arguments.joined(separator: " ")) failed: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")"
                )
            }
        }

        /// A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl.
        static func makeCertificates(in dir: URL) throws {
            let openssl = "/usr/bin/openssl"
            func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
            try run(
                openssl,
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("ca.key"), "-out", path("ca.crt"),
                    "-days", "2", "-subj", "/CN=campusguard test CA",
                ],
                in: dir
            )
            try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(
                toFile: path("server.ext"),
                atomically: true,
                encoding: .utf8
            )
            for (name, subject) in [("server", "/CN=127.0.0.1"), ("client", "/CN=campusguard-gateway")] {
                try run(
                    openssl,
                    [
                        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", path("\(name).key"), "-out",
                        path("\(name).csr"),
                        "-subj", subject,
                    ],
                    in: dir
                )
                var args = [
                    "x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
                    "-CAcreateserial", "-out", path("\(name).crt"), "-days", "2",
                ]
                if name == "server" { args += ["-extfile", path("server.ext")] }
                try run(openssl, args, in: dir)
            }
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
                try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path(file))
            }
        }

        @Test("mqtts:// with a CA and a client certificate made by the test: connects and receives")
        func tls() async throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: dir.path)
            defer { try? FileManager.default.removeItem(at: dir) }
            try Self.makeCertificates(in: dir)
            func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
            let broker = try MosquittoBroker(
                extraConfig: """
                    allow_anonymous true
                    cafile \(path("ca.crt"))
                    certfile \(path("server.crt"))
                    keyfile \(path("server.key"))
                    require_certificate true
                    """
            )
            let url = "mqtts://127.0.0.1:\(broker.port)"
            let campus = try MQTTSourceTests.campus(brokerURL: url)
            let collector = Collector()
            let source = try MQTTSourceTests.source(campus, collector: collector) { o in
                o.caFile = path("ca.crt")
                o.certFile = path("client.crt")
                o.keyFile = path("client.key")
            }
            source.client.start()
            defer { source.client.stop() }
            #expect(await eventually { source.client.isConnected })
            let publisher = try MosquittoClient(
                options: MQTTClientOptions(
                    endpoint: BrokerEndpoint(url: url)!,
                    clientID: "tls-pub",
                    caFile: path("ca.crt"),
                    certFile: path("client.crt"),
                    keyFile: path("client.key")
                )
            ) { _ in }
            publisher.start()
            defer { publisher.stop() }
            #expect(await eventually { publisher.isConnected })
            try publisher.publish(topic: "zigbee2mqtt/gate-panic-1", payload: Array(#"{"action":"single"}"#.utf8))
            #expect(
                await eventually { collector.values(device: "gate-panic-1", channel: "button") == [.event("single")] }
            )

            // Without the client certificate the broker refuses the TLS handshake: the client retries, no crash.
            let bare = try MQTTSourceTests.source(campus, collector: Collector()) { o in o.caFile = path("ca.crt") }
            bare.client.start()
            defer { bare.client.stop() }
            #expect(await eventually(timeout: 5) { bare.counts.connectionFailures + bare.counts.disconnects >= 1 })
            #expect(!bare.client.isConnected)
        }

        @Test("a wrong password gives a clear refusal and retries with backoff, not a crash loop")
        func wrongPassword() async throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cg-auth-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: dir.path)
            defer { try? FileManager.default.removeItem(at: dir) }
            let passwords = dir.appendingPathComponent("passwords").path
            try Self.run("/usr/bin/mosquitto_passwd", ["-c", "-b", passwords, "gateway", "correct horse"], in: dir)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: passwords)
            let broker = try MosquittoBroker(extraConfig: "allow_anonymous false\npassword_file \(passwords)")
            let campus = try MQTTSourceTests.campus(brokerURL: broker.url)
            let wrong = try MQTTSourceTests.source(campus, collector: Collector()) { o in
                o.username = "gateway"
                o.password = "battery staple"
                o.reconnectDelay = .seconds(1)
                o.reconnectDelayMax = .seconds(30)
            }
            wrong.client.start()
            defer { wrong.client.stop() }
            #expect(await eventually(timeout: 5) { wrong.counts.refusals >= 1 })
            try await Task.sleep(for: .seconds(3.5))
            let refusals = wrong.counts.refusals
            #expect((2...4).contains(refusals), "1 s, 2 s, 4 s … between attempts: \(refusals) in ~4 s")
            #expect(wrong.counts.lastRefusal?.lowercased().contains("not authori") == true)
            #expect(!wrong.client.isConnected)

            let right = try MQTTSourceTests.source(campus, collector: Collector()) { o in
                o.username = "gateway"
                o.password = "correct horse"
            }
            right.client.start()
            defer { right.client.stop() }
            #expect(await eventually { right.client.isConnected })
        }
    }
}
