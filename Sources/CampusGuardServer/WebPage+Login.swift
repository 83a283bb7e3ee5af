import CampusGuardCore

extension WebPage {
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
