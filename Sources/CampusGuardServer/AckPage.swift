import CampusGuardCore
import Foundation

/// The pages of the acknowledge link: small, no scripts, readable on a phone; Chinese first,
/// English below.
struct AckPage {
    let site: SiteConfig

    /// A page's parts: a heading and paragraphs in both languages.
    struct Text {
        var zh: String
        var en: String
    }

    // MARK: - Problems

    static let invalid = (
        Text(zh: "链接无效", en: "This link is not valid"),
        Text(
            zh: "链接不完整或已被改动。请从报警消息中完整打开链接，或直接电话联系值班室。",
            en: "The link is incomplete or was changed. Open it in full from the alarm message, or call the duty room."
        )
    )

    static let expired = (
        Text(zh: "链接已过期", en: "This link has expired"),
        Text(
            zh: "请使用最新一条报警消息中的链接，或直接电话联系值班室。",
            en: "Use the link in the latest alarm message, or call the duty room."
        )
    )

    static let notEnabled = (
        Text(zh: "未启用确认链接", en: "Acknowledge links are not enabled"),
        Text(
            zh: "此网关未配置确认链接。请直接电话联系值班室。",
            en: "This gateway has no acknowledge link key configured. Call the duty room."
        )
    )

    static let closed = (
        Text(zh: "报警已关闭", en: "The alarm is closed"),
        Text(
            zh: "此报警已处理完毕或不存在，无需确认。",
            en: "This alarm has been resolved or does not exist; there is nothing to acknowledge."
        )
    )

    static let stopping = (
        Text(zh: "系统正在停止", en: "The gateway is stopping"),
        Text(
            zh: "确认未能完成。请稍后重试，或直接电话联系值班室。",
            en: "The acknowledgement was not recorded. Try again shortly, or call the duty room."
        )
    )

    func problem(_ content: (Text, Text)) -> String {
        page(title: content.0, body: paragraph(content.1))
    }

    // MARK: - Layout

    func page(title: Text, body: String, tone: String = "plain") -> String {
        """
        <!doctype html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>\(Self.escape(title.zh)) · \(Self.escape(title.en)) · \(Self.escape(site.site.name))</title>
        <style>
        body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;padding:1rem;
        font-size:18px;line-height:1.5;color:#111;background:#fff}
        main{max-width:32rem;margin:0 auto}
        h1{font-size:1.5rem;margin:.5rem 0}
        .en{color:#555;font-size:.9em}
        .critical h1{color:#b00020} .major h1{color:#b35c00}
        .test{background:#e8f0fe;padding:.5rem;border-radius:.4rem}
        dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .8rem}
        dt{font-weight:600} dd{margin:0;overflow-wrap:anywhere}
        label{display:block;margin-top:1rem}
        input{font-size:1rem;width:100%;box-sizing:border-box;padding:.6rem;margin-top:.3rem}
        button{font-size:1.2rem;width:100%;padding:1rem;margin-top:1rem;border:0;border-radius:.5rem;
        background:#b00020;color:#fff}
        footer{margin-top:2rem;color:#777;font-size:.8rem}
        </style>
        </head>
        <body>
        <main class="\(Self.escape(tone))">
        <h1>\(Self.escape(title.zh))</h1>
        <p class="en">\(Self.escape(title.en))</p>
        \(body)
        <footer>\(Self.escape(site.site.name)) · campusguard</footer>
        </main>
        </body>
        </html>
        """
    }

    func paragraph(_ text: Text) -> String {
        "<p>\(Self.escape(text.zh))</p>\n<p class=\"en\">\(Self.escape(text.en))</p>"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
