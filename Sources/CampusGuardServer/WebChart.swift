import CampusGuardCore
import Foundation

/// A line chart of one numeric channel over a time window, as inline SVG: time along the
/// bottom (site time), values up the side with the channel's unit.
struct WebChart: Sendable {
    /// One value at one instant.
    struct Point: Sendable, Hashable {
        var at: Instant
        var value: Double
    }

    let channel: ChannelID
    let from: Instant
    let to: Instant
    /// At most `maxPoints`, in time order.
    let points: [Point]

    static let maxPoints = 300
    static let width = 640.0
    static let height = 220.0
    static let left = 56.0
    static let right = 12.0
    static let top = 12.0
    static let bottom = 36.0

    /// Keeps every point when there are at most `limit`; otherwise splits the window into
    /// `limit / 2` equal spans and keeps each span's lowest and highest value in time order,
    /// so a short spike still shows.
    init(channel: ChannelID, from: Instant, to: Instant, points: [Point], limit: Int = maxPoints) {
        self.channel = channel
        self.from = from
        self.to = to
        self.points = Self.downsample(points.filter { $0.value.isFinite }, from: from, to: to, limit: limit)
    }

    static func downsample(_ points: [Point], from: Instant, to: Instant, limit: Int) -> [Point] {
        guard points.count > limit, limit >= 2 else { return points }
        let spans = limit / 2
        let length = max(1, to.millisecondsSinceEpoch - from.millisecondsSinceEpoch)
        var buckets = [[Point]](repeating: [], count: spans)
        for p in points {
            let offset = p.at.millisecondsSinceEpoch - from.millisecondsSinceEpoch
            let i = Int(min(Int64(spans - 1), max(0, offset * Int64(spans) / length)))
            buckets[i].append(p)
        }
        var kept: [Point] = []
        for bucket in buckets where !bucket.isEmpty {
            let low = bucket.min { $0.value < $1.value }!
            let high = bucket.max { $0.value < $1.value }!
            if low == high {
                kept.append(low)
            } else {
                kept += low.at <= high.at ? [low, high] : [high, low]
            }
        }
        return kept
    }

    /// The value range drawn: the points' lowest to highest, widened by 1 when they are all equal.
    var valueRange: (low: Double, high: Double) {
        let values = points.map(\.value)
        guard let low = values.min(), let high = values.max() else { return (0, 1) }
        return low == high ? (low - 1, high + 1) : (low, high)
    }

    /// Where each point is drawn, in the SVG's coordinates.
    var coordinates: [(x: Double, y: Double)] {
        let (low, high) = valueRange
        let span = Double(max(1, to.millisecondsSinceEpoch - from.millisecondsSinceEpoch))
        let plotWidth = Self.width - Self.left - Self.right
        let plotHeight = Self.height - Self.top - Self.bottom
        return points.map { p in
            let x = Self.left + Double(p.at.millisecondsSinceEpoch - from.millisecondsSinceEpoch) / span * plotWidth
            let y = Self.top + (high - p.value) / (high - low) * plotHeight
            return (x, y)
        }
    }

    /// The SVG element; `time` writes an instant as the axis shows it (site time).
    func svg(time: (Instant) -> String) -> String {
        let unit = channel.kind.unit
        let (low, high) = valueRange
        let plotBottom = Self.height - Self.bottom
        let plotRight = Self.width - Self.right
        let title = "\(channel.description)\(unit.isEmpty ? "" : " (\(unit))")"
        var svg = """
            <svg viewBox="0 0 \(Self.number(Self.width)) \(Self.number(Self.height))" role="img" \
            aria-label="\(WebPage.escape(title))" data-channel="\(WebPage.escape(channel.description))">
            <title>\(WebPage.escape(title))</title>

            """
        for i in 0...2 {
            let value = low + (high - low) * Double(i) / 2
            let y = Self.top + (high - value) / (high - low) * (plotBottom - Self.top)
            svg += """
                <line class="grid" x1="\(Self.number(Self.left))" y1="\(Self.number(y))" \
                x2="\(Self.number(plotRight))" y2="\(Self.number(y))"/>
                <text x="\(Self.number(Self.left - 4))" y="\(Self.number(y + 4))" text-anchor="end">\
                \(WebPage.escape(Self.valueText(value) + (unit.isEmpty ? "" : " " + unit)))</text>

                """
        }
        let span = to.millisecondsSinceEpoch - from.millisecondsSinceEpoch
        for i in 0...4 {
            let at = Instant(millisecondsSinceEpoch: from.millisecondsSinceEpoch + span * Int64(i) / 4)
            let x = Self.left + (plotRight - Self.left) * Double(i) / 4
            let anchor = i == 0 ? "start" : i == 4 ? "end" : "middle"
            let label = String(time(at).dropFirst(11).prefix(5))
            svg += """
                <text x="\(Self.number(x))" y="\(Self.number(plotBottom + 16))" text-anchor="\(anchor)">\
                \(WebPage.escape(label))</text>

                """
        }
        svg += """
            <line class="axis" x1="\(Self.number(Self.left))" y1="\(Self.number(plotBottom))" \
            x2="\(Self.number(plotRight))" y2="\(Self.number(plotBottom))"/>
            <line class="axis" x1="\(Self.number(Self.left))" y1="\(Self.number(Self.top))" \
            x2="\(Self.number(Self.left))" y2="\(Self.number(plotBottom))"/>
            <text x="\(Self.number(plotRight))" y="\(Self.number(Self.height - 4))" text-anchor="end">\
            \(WebPage.escape("时间 Time: \(time(from).prefix(16)) – \(time(to).prefix(16))"))</text>
            <polyline class="line" points="\(polylinePoints)"/>
            </svg>
            """
        return svg
    }

    /// `x,y x,y …` with one decimal.
    var polylinePoints: String {
        coordinates.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
    }

    static func number(_ v: Double) -> String { String(format: "%.1f", v) }

    static func valueText(_ v: Double) -> String {
        abs(v) >= 100 || v == v.rounded() ? String(format: "%.0f", v) : String(format: "%.1f", v)
    }
}
