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
}
