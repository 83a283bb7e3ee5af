import CampusGuardCore
import CampusGuardStore
import Logging
import NIOPosix

extension APIServer {
    /// How far back the device page's charts reach.
    static let chartWindow = Interval.hours(24)
    /// How far back, and how many, of a device's alarms and faults the device page lists.
    static let historyWindow = Interval.hours(24 * 90)
    static let historyLimit = 50
    /// A bound on the readings read for one device's charts.
    static let chartReadingLimit = 200_000

    /// Everything the device page shows of `device`.
    func deviceView(_ device: DeviceConfig, now: Instant) async -> WebPage.DeviceView {
        var view = WebPage.DeviceView(
            config: device,
            snapshot: board().device(device.id),
            charts: [],
            history: [],
            inspections: nil,
            storeProblem: nil
        )
        if let store {
            do {
                let from = now - Self.chartWindow
                (view.charts, view.history) = try await NIOThreadPool.singleton.runIfActive {
                    (
                        try Self.charts(store, device: device.id, from: from, to: now),
                        try Self.history(store, device: device.id, since: now - Self.historyWindow)
                    )
                }
            } catch {
                logger.error(
                    "web page: cannot read the store",
                    metadata: ["device": "\(device.id)", "error": "\(error)"]
                )
                view.storeProblem = "记录无法读取 · The store cannot be read: \(error)"
            }
        } else {
            view.storeProblem = "此网关没有存储 · This gateway runs without a store"
        }
        do {
            view.inspections = try await webSources.inspections(device.id)
        } catch {
            logger.error(
                "web page: cannot read inspections",
                metadata: ["device": "\(device.id)", "error": "\(error)"]
            )
        }
        return view
    }

    /// One chart per channel with numeric readings in the window, in channel order.
    static func charts(_ store: Store, device: String, from: Instant, to: Instant) throws -> [WebChart] {
        var series: [ChannelID: [WebChart.Point]] = [:]
        try store.forEachReading(
            StoreQuery(since: from, until: to + .seconds(1), device: device, limit: chartReadingLimit)
        ) {
            stored in
            if case .number(let v) = stored.reading.value, v.isFinite {
                series[stored.reading.channel, default: []].append(.init(at: stored.reading.timestamp, value: v))
            }
        }
        return series.keys.sorted().map { WebChart(channel: $0, from: from, to: to, points: series[$0]!) }
    }

    /// The device's alarm and fault events (no deliveries), newest first.
    static func history(_ store: Store, device: String, since: Instant) throws -> [Event] {
        var kept: [Event] = []
        try store.forEachEvent(StoreQuery(since: since, device: device)) { line in
            guard let event = Event(jsonLine: line), !event.type.rawValue.hasPrefix("delivery.") else { return }
            kept.append(event)
            if kept.count > historyLimit * 2 { kept.removeFirst(kept.count - historyLimit) }
        }
        return Array(kept.suffix(historyLimit).reversed())
    }
}
