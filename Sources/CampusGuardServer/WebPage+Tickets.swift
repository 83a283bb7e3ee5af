import CampusGuardCore

extension WebPage {
    /// `GET /tickets`: the hazard tickets not yet closed, oldest first, with their age.
    /// `tickets` nil: they could not be read.
    func ticketsPage(_ tickets: [WebTicketSummary]?) -> String {
        var body = "<h1>未关闭的隐患 Open hazard tickets</h1>\n"
        guard let tickets else {
            return document(
                title: "隐患 Tickets",
                body: body + "<p class=\"problem\">隐患记录无法读取 · Cannot read the tickets</p>"
            )
        }
        if tickets.isEmpty {
            body += "<p>没有未关闭的隐患 · No open hazard tickets</p>\n"
        } else {
            body += "<table><thead><tr><th>编号 ID</th><th>隐患 Title</th><th>楼宇 Building</th>"
            body += "<th>状态 Status</th><th>已开 Age</th></tr></thead><tbody>\n"
            for t in tickets {
                let building = t.building.map { site.building($0)?.name ?? $0 } ?? "全校 Whole site"
                body +=
                    "<tr data-ticket=\"\(Self.escape(t.id))\"><td>\(Self.escape(t.id))</td>"
                    + "<td>\(Self.escape(t.title))</td><td>\(Self.escape(building))</td>"
                    + "<td>\(Self.escape(t.status))</td><td>\(Self.escape(Self.age(now - t.openedAt)))</td></tr>\n"
            }
            body += "</tbody></table>\n"
        }
        return document(title: "隐患 Tickets", body: body)
    }

    /// `GET /login`: paste the API token from `campusguard token add`.
    func loginPage(problem: String? = nil, next: String = "/") -> String {
        var body = "<h1>登录 Sign in</h1>\n"
        if let problem { body += "<p class=\"problem\" role=\"alert\">\(Self.escape(problem))</p>\n" }
        body += """
            <form method="post" action="/login">
            <input type="hidden" name="next" value="\(Self.escape(next))">
            <label>访问令牌 API token
            <input type="password" name="token" required autocomplete="current-password" autofocus></label>
            <button type="submit" class="signin">登录 · Sign in</button>
            </form>
            <p>令牌由管理员用 <code>campusguard token add 姓名 --role duty</code> 生成。 \
            Your administrator makes a token with <code>campusguard token add NAME --role duty</code>.</p>
            """
        return document(title: "登录 Sign in", body: body)
    }

    /// A refusal or failure, with the way back.
    func problemPage(title: String, reason: String) -> String {
        document(
            title: title,
            body: "<h1>\(Self.escape(title))</h1>\n<p class=\"problem\">\(Self.escape(reason))</p>\n"
                + "<p><a href=\"/\">← 总览 Board</a></p>"
        )
    }
}
