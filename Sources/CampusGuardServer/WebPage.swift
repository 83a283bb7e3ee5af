import CampusGuardCore
import Foundation

/// The staff web page, rendered on the server: plain HTML with inline CSS, no script, every
/// text from the config, the store or a person escaped. Chinese first, English beside it.
struct WebPage {
    let site: SiteConfig
    /// Nil on the sign-in page.
    let viewer: WebViewer?
    let now: Instant
    private let formatter: DateFormatter

    init(site: SiteConfig, viewer: WebViewer?, now: Instant) {
        self.site = site
        self.viewer = viewer
        self.now = now
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: site.site.timezone) ?? TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        self.formatter = formatter
    }

    // MARK: - Layout

    /// A whole page. `refresh`: seconds after which the browser loads it again (the board).
    func document(title: String, body: String, refresh: Int? = nil) -> String {
        let refreshTag = refresh.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">\n" } ?? ""
        return """
            <!doctype html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            \(refreshTag)<title>\(Self.escape(title)) · \(Self.escape(site.site.name))</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            \(header())
            <main>
            \(body)
            </main>
            <footer>\(Self.escape(site.site.name)) · campusguard · \(Self.escape(time(now))) \
            (\(Self.escape(site.site.timezone)))</footer>
            </body>
            </html>
            """
    }

    private func header() -> String {
        guard let viewer else {
            return "<header><span class=\"site\">\(Self.escape(site.site.name))</span></header>"
        }
        return """
            <header><span class="site">\(Self.escape(site.site.name))</span>
            <nav><a href="/">总览 Board</a> <a href="/tickets">隐患 Tickets</a></nav>
            <span class="who">\(Self.escape(viewer.name)) · \(Self.escape(viewer.role.rawValue))</span>
            <form method="post" action="/logout" class="inline">\(formToken())\
            <button type="submit" class="quiet">退出 Sign out</button></form></header>
            """
    }

    /// The hidden field that proves a POST comes from one of our pages.
    func formToken() -> String {
        guard let viewer else { return "" }
        return "<input type=\"hidden\" name=\"form_token\" value=\"\(Self.escape(viewer.formToken))\">"
    }

    // MARK: - Words

    /// Local time at the site: `2026-11-20 22:10:05`.
    func time(_ instant: Instant) -> String {
        formatter.string(from: Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000))
    }

    /// `3 h 5 min`, `2 d 4 h`, `40 s`: how long ago, for ages.
    static func age(_ interval: Interval) -> String {
        let s = max(0, interval.milliseconds / 1000)
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        if s < 86_400 { return "\(s / 3600) h \(s % 3600 / 60) min" }
        return "\(s / 86_400) d \(s % 86_400 / 3600) h"
    }

    /// `dorm-a/3/301` → `Dormitory A · 3 · 301`; a bare building id → its name.
    func place(_ path: String) -> String {
        let parts = path.split(separator: "/").map(String.init)
        guard let first = parts.first, let building = site.building(first) else { return path }
        return ([building.name] + parts.dropFirst()).joined(separator: " · ")
    }

    /// A device's name as the config gives it, else its id.
    func deviceName(_ id: String) -> String {
        site.devices.first { $0.id == id }?.name ?? id
    }

    /// A path segment, percent-encoded for a URL inside an attribute (escape the result too).
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    static func escape(_ text: String) -> String { AckPage.escape(text) }
}
