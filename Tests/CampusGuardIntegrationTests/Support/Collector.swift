import CampusGuardCore
import CampusGuardMQTT
import CampusGuardTestKit
import Foundation
import Logging
import Synchronization

/// Collects what an MQTT source delivers, for assertions.
final class Collector: Sendable {
    private let batches = Mutex<[SourceBatch]>([])

    func deliver(_ batch: SourceBatch) -> Bool {
        batches.withLock { $0.append(batch) }
        return true
    }

    var all: [SourceBatch] { batches.withLock { $0 } }
    var readings: [Reading] { all.flatMap(\.readings) }

    func values(device: String, channel: String) -> [ReadingValue] {
        readings.filter { $0.device == device && $0.channel.description == channel }.map(\.value)
    }
}

/// A test publisher with its own persistent session, that keeps what it could not send and
/// sends it again once connected: a well-behaved device-side client.
final class TestPublisher: Sendable {
    let client: MosquittoClient
    private let pending = Mutex<[(String, [UInt8])]>([])
    private let acked = Mutex<Set<Int32>>([])

    init(url: String, clientID: String, username: String? = nil, password: String? = nil) throws {
        let endpoint = BrokerEndpoint(url: url)!
        let box = PublisherBox()
        client = try MosquittoClient(
            options: MQTTClientOptions(
                endpoint: endpoint,
                clientID: clientID,
                cleanSession: false,
                username: username,
                password: password,
                reconnectDelay: .milliseconds(200),
                reconnectDelayMax: .seconds(1)
            )
        ) { event in box.handle(event) }
        box.publisher = self
        client.start()
    }

    func publish(_ topic: String, _ payload: String) {
        do {
            try client.publish(topic: topic, payload: Array(payload.utf8), qos: 1)
        } catch  where error.code == 4 {
            // MOSQ_ERR_NO_CONN: libmosquitto has queued the QoS 1 message and sends it once
            // connected again; keeping it here as well would send it twice.
        } catch {
            pending.withLock { $0.append((topic, Array(payload.utf8))) }
        }
    }

    fileprivate func connected() {
        let queued = pending.withLock { p in
            defer { p.removeAll() }
            return p
        }
        for (topic, payload) in queued {
            do {
                try client.publish(topic: topic, payload: payload, qos: 1)
            } catch {
                pending.withLock { $0.append((topic, payload)) }
            }
        }
    }

    var pendingCount: Int { pending.withLock { $0.count } }

    /// How many distinct QoS 1 publishes the broker has acknowledged (PUBACK).
    var ackedCount: Int { acked.withLock { $0.count } }

    fileprivate func acknowledged(_ messageID: Int32) { _ = acked.withLock { $0.insert(messageID) } }

    func stop() { client.stop() }
}

private final class PublisherBox: @unchecked Sendable {
    // @unchecked Sendable: set once before the client's thread starts, read afterwards.
    weak var publisher: TestPublisher?

    func handle(_ event: MQTTClientEvent) {
        switch event {
        case .connected: publisher?.connected()
        case .published(let id): publisher?.acknowledged(id)
        default: break
        }
    }
}

extension Logger {
    static let test: Logger = {
        var l = Logger(label: "test")
        l.logLevel = .critical
        return l
    }()
}
