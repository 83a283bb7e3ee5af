import CampusGuardCore
import Prometheus
import Synchronization

extension GatewayMetrics {
    /// What scrapes remember between them.
    struct ScrapeState {
        /// Input error totals already counted, by protocol and kind.
        var inputErrors: [String: Int] = [:]
        /// Gauges made so far, by name and labels: a gauge whose value is unknown now is removed.
        var gauges: [String: Gauge] = [:]
    }

    /// Sets the gauges from `snapshot`, brings the input error counters up to its totals, and
    /// renders every metric in Prometheus text format (version 0.0.4). Scrapes are serialised.
    public func render(_ s: GatewaySnapshot) -> String {
        scrape.withLock { state in
            let counts = s.board.statusCounts
            for status in DeviceStatus.allCases {
                gauge(&state, Self.devicesName, [("status", status.rawValue)], Double(counts[status] ?? 0))
            }
            for severity in Severity.allCases {
                let open = s.board.openAlarms.filter { $0.severity == severity }.count
                gauge(&state, Self.openAlarmsName, [("severity", severity.rawValue)], Double(open))
            }
            gauge(&state, Self.loopAgeName, [], s.engineLoopAge.map(Self.seconds))
            gauge(&state, Self.storeUpName, [], s.storeProblem == nil ? 1 : 0)
            gauge(&state, Self.storeBytesName, [], s.storeFileBytes.map(Double.init))
            gauge(&state, Self.outboxName, [], s.outboxPending.map(Double.init))
            gauge(&state, Self.uplinkBacklogName, [("stream", "events")], s.uplinkBacklog.map { Double($0.events) })
            gauge(&state, Self.uplinkBacklogName, [("stream", "readings")], s.uplinkBacklog.map { Double($0.readings) })
            for broker in s.brokers {
                gauge(&state, Self.mqttName, [("broker", broker.id)], broker.up == true ? 1 : 0)
            }
            for bus in s.buses {
                gauge(&state, Self.modbusName, [("bus", bus.id)], bus.up == true ? 1 : 0)
            }
            gauge(&state, Self.policeName, [], s.policeLink?.up.map { $0 ? 1 : 0 })
            gauge(&state, Self.uplinkName, [], s.uplink.map { $0.up == true ? 1 : 0 })
            for error in s.inputErrors {
                let key = error.source + "/" + error.kind
                let before = state.inputErrors[key] ?? 0
                // A total below the last one: its part was made anew (a reload); count it from zero.
                let added = error.total >= before ? error.total - before : error.total
                state.inputErrors[key] = error.total
                let counter = registry.makeCounter(
                    descriptor: Self.inputErrorsName,
                    labels: [("protocol", error.source), ("kind", error.kind)]
                )
                if added > 0 { counter.increment(by: Int64(added)) }
            }
            return registry.emitToString()
        }
    }

    /// Sets a gauge, or removes it when its value is not known now.
    private func gauge(
        _ state: inout ScrapeState,
        _ name: MetricNameDescriptor,
        _ labels: [(String, String)],
        _ value: Double?
    ) {
        let key = name.name + labels.map { "|\($0.0)=\($0.1)" }.joined()
        guard let value else {
            if let old = state.gauges.removeValue(forKey: key) { registry.unregisterGauge(old) }
            return
        }
        let gauge = state.gauges[key] ?? registry.makeGauge(descriptor: name, labels: labels)
        state.gauges[key] = gauge
        gauge.set(value)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    // MARK: - Names

    static var devicesName: MetricNameDescriptor { name("devices", "Devices by status, from the engine's board.") }
    static var openAlarmsName: MetricNameDescriptor {
        name("open_alarms", "Open alarms and faults (raised, acknowledged or cleared, not yet resolved), by severity.")
    }
    static var loopAgeName: MetricNameDescriptor {
        name("engine_loop_age", unit: "seconds", "Time since the engine's loop last went round (about 1 s when well).")
    }
    static var storeUpName: MetricNameDescriptor {
        name("store_up", "1 while the store takes writes, 0 while degraded.")
    }
    static var storeBytesName: MetricNameDescriptor {
        name("store_size", unit: "bytes", "Size of the store's database and WAL files.")
    }
    static var outboxName: MetricNameDescriptor {
        name("outbox_pending", "Deliveries in the outbox waiting to be sent (absent while the store cannot be read).")
    }
    static var uplinkBacklogName: MetricNameDescriptor {
        name("uplink_backlog", "Events and readings not yet acknowledged by the uplink's broker, by stream.")
    }
    static var mqttName: MetricNameDescriptor { name("mqtt_connected", "1 while connected to the MQTT broker.") }
    static var modbusName: MetricNameDescriptor {
        name("modbus_bus_up", "1 while the Modbus bus is connected and its devices answer.")
    }
    static var policeName: MetricNameDescriptor {
        name("police_link_up", "1 while a police link receiver acknowledged the last message or link test.")
    }
    static var uplinkName: MetricNameDescriptor {
        name("uplink_connected", "1 while connected to the uplink's broker.")
    }
    static var inputErrorsName: MetricNameDescriptor {
        name(
            "decode_errors",
            unit: "total",
            "Bad input ignored (MQTT: by decoder kind) and failed requests (Modbus), by protocol and kind."
        )
    }
}
