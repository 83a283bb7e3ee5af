import CampusGuardCore
import CampusGuardTestKit
import Foundation
import Testing

@testable import CampusGuardServer

@Suite("The web page's HTML")
struct WebPageTests {
    static let site = SiteConfig(
        site: .init(id: "demo", name: "Tom's <School>", timezone: "Asia/Shanghai"),
        buildings: [Building(id: "dorm-a", name: #"<Dorm & "A">"#, kind: .dormitory)],
        devices: [
            DeviceConfig(
                id: "s1",
                name: #"<b>"smoke" & co</b>"#,
                profile: "test-smoke",
                location: LocationPath("dorm-a/3/301")!,
                topic: "z2m/s1"
            )
        ]
    )

    static func board(acknowledgedBy: String? = nil) throws -> (EngineBoard, String) {
        let campus = try Campus(config: site, profiles: TestProfiles.all)
        var d = EngineDriver(campus: campus)
        let alarm = try #require(d.send("s1", "smoke", .bool(true)).compactMap(\.alarm).first)
        if let acknowledgedBy { try d.acknowledge(alarm, by: acknowledgedBy) }
        return (d.engine.board(at: d.now), alarm)
    }

    static let duty = WebViewer(name: "duty-person", role: .duty, formToken: "form-token-1")

    @Test("names from the config and from people are escaped: no <, &, \" of theirs reaches the page raw")
    func escaping() throws {
        let (board, _) = try Self.board(acknowledgedBy: "<script>alert(1)</script>")
        let viewer = WebViewer(name: #"<i>"x" & y</i>"#, role: .duty, formToken: #""><script>"#)
        let html = WebPage(site: Self.site, viewer: viewer, now: board.at).board(board)
        #expect(html.contains("&lt;Dorm &amp; &quot;A&quot;&gt;"))
        #expect(html.contains("&lt;b&gt;&quot;smoke&quot; &amp; co&lt;/b&gt;"))
        #expect(html.contains("Tom&#39;s &lt;School&gt;"))
        #expect(html.contains("&lt;i&gt;&quot;x&quot; &amp; y&lt;/i&gt;"))
        #expect(!html.contains("<Dorm"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("<i>"))
        #expect(!html.contains("<script"), "neither the name of who acknowledged nor a form token")
        #expect(!html.contains("&amp;lt;"), "escaped once, not twice")
    }

    @Test("a device tile carries its status's colour class and its label in words")
    func tiles() {
        let page = WebPage(site: Self.site, viewer: Self.duty, now: testStart)
        var labels = Set<String>()
        var colours = Set<String>()
        for status in DeviceStatus.allCases {
            let snapshot = DeviceSnapshot(
                id: "s1",
                status: status,
                values: [:],
                lastSeen: nil,
                offlineSince: nil,
                offlineReason: nil,
                maintenanceUntil: nil,
                openAlarms: []
            )
            let tile = page.tile(Self.site.devices[0], snapshot)
            #expect(tile.contains("class=\"tile s-\(status.rawValue)\""))
            #expect(tile.contains(WebPage.label(status)), "never colour alone")
            #expect(WebPage.style.contains(".s-\(status.rawValue){background:var(--\(status.rawValue))"))
            #expect(WebPage.style.contains("--\(status.rawValue):\(WebPage.colour(status))"))
            labels.insert(WebPage.label(status))
            colours.insert(WebPage.colour(status))
        }
        #expect(labels.count == DeviceStatus.allCases.count)
        #expect(colours.count == DeviceStatus.allCases.count)
        #expect(WebPage.colour(.ok) == "#1b7f3b" && WebPage.colour(.alarm) == "#c62828")
        #expect(page.tile(Self.site.devices[0], nil).contains("未知 Unknown"))
    }

    @Test("duty sees an acknowledge form with the session's form token; a viewer sees none")
    func buttonsByRole() throws {
        let (board, alarm) = try Self.board()
        let duty = WebPage(site: Self.site, viewer: Self.duty, now: board.at).board(board)
        #expect(duty.contains("action=\"/alarms/\(alarm)/ack\""))
        #expect(duty.contains("name=\"form_token\" value=\"form-token-1\""))
        #expect(duty.contains("data-state=\"raised\""))
        #expect(duty.contains("烟感报警 smoke · 重要 major"))
        #expect(duty.contains("<meta http-equiv=\"refresh\" content=\"10\">"))
        #expect(duty.contains("<meta name=\"viewport\""))
        let viewer = WebViewer(name: "v", role: .viewer, formToken: "t")
        let seen = WebPage(site: Self.site, viewer: viewer, now: board.at).board(board)
        #expect(!seen.contains("/ack\""))
        #expect(seen.contains("data-alarm=\"\(alarm)\""))
    }

    @Test("the raised-at time is shown in the site's time zone")
    func siteTime() throws {
        let (board, _) = try Self.board()
        // testStart is 2026-11-20T22:00:00Z: 06:00 the next morning in Shanghai.
        let html = WebPage(site: Self.site, viewer: Self.duty, now: board.at).board(board)
        #expect(html.contains("2026-11-21 06:00:00"))
    }

    @Test("the chart puts known readings at known points, with the unit and site times on the axes")
    func chartPoints() {
        let from = testStart
        let to = testStart + .hours(24)
        let chart = WebChart(
            channel: ChannelID(.temperature),
            from: from,
            to: to,
            points: [
                .init(at: from, value: 10), .init(at: from + .hours(12), value: 20), .init(at: to, value: 30),
                .init(at: from + .hours(1), value: .nan),
            ]
        )
        // Plot area: x 56…628, y 12…184; values 10…30.
        #expect(chart.polylinePoints == "56.0,184.0 342.0,98.0 628.0,12.0")
        let page = WebPage(site: Self.site, viewer: Self.duty, now: to)
        let svg = chart.svg(time: page.time)
        #expect(svg.contains("<polyline class=\"line\" points=\"56.0,184.0 342.0,98.0 628.0,12.0\"/>"))
        #expect(svg.contains(">30 °C</text>") && svg.contains(">10 °C</text>") && svg.contains(">20 °C</text>"))
        #expect(svg.contains(">06:00</text>") && svg.contains(">12:00</text>"), "site time, Asia/Shanghai")
        #expect(svg.contains("temperature (°C)"))
    }

    @Test("one value is drawn mid-height; no readings give no line")
    func flatChart() {
        let chart = WebChart(
            channel: ChannelID(.battery),
            from: testStart,
            to: testStart + .hours(24),
            points: [.init(at: testStart + .hours(6), value: 80)]
        )
        #expect(chart.polylinePoints == "199.0,98.0")
        #expect(
            WebChart(channel: ChannelID(.gas), from: testStart, to: testStart + .hours(1), points: []).points.isEmpty
        )
    }

    @Test("many readings are cut to at most 300 points that keep the lowest, the highest and the time order")
    func downsampling() {
        let from = testStart
        let to = testStart + .hours(24)
        var points = (0..<5000).map { i in
            WebChart.Point(at: from + Interval(milliseconds: Int64(i) * 17_280), value: 20 + Double(i % 7))
        }
        points[2345].value = 95  // a short spike
        points[4000].value = -3
        let chart = WebChart(channel: ChannelID(.temperature), from: from, to: to, points: points)
        #expect(chart.points.count <= 300)
        #expect(chart.points.count >= 200)
        #expect(chart.points.contains(points[2345]))
        #expect(chart.points.contains(points[4000]))
        #expect(chart.points.map(\.at) == chart.points.map(\.at).sorted())
        let few = Array(points.prefix(300))
        #expect(WebChart(channel: ChannelID(.temperature), from: from, to: to, points: few).points == few)
    }

    @Test("the tickets page lists each ticket with its building's name and age, escaped")
    func tickets() {
        let page = WebPage(site: Self.site, viewer: Self.duty, now: testStart + .hours(50))
        let html = page.ticketsPage([
            WebTicketSummary(
                id: "T-1",
                title: "<exit> blocked",
                building: "dorm-a",
                status: "found",
                openedAt: testStart
            )
        ])
        #expect(html.contains("&lt;exit&gt; blocked"))
        #expect(html.contains("&lt;Dorm &amp; &quot;A&quot;&gt;"))
        #expect(html.contains("2 d 2 h"))
        #expect(page.ticketsPage([]).contains("No open hazard tickets"))
        #expect(page.ticketsPage(nil).contains("Cannot read the tickets"))
    }
}
