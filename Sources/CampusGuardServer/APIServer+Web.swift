import CampusGuardCore
import Foundation
import Hummingbird
import Logging

extension APIServer {
    private struct SignInForm: Decodable {
        var token: String?
        var next: String?
    }

    private struct ActionForm: Decodable {
        var formToken: String?
        var note: String?

        enum CodingKeys: String, CodingKey {
            case formToken = "form_token"
            case note
        }
    }

    /// The staff web page (docs/web.md): sign-in with an API token, the board, a device's page,
    /// an alarm's page, open hazard tickets, and acknowledge and resolve forms that go to the
    /// engine exactly as the API's commands do.
    func addWebRoutes(to router: Router<BasicRequestContext>) {
        let sessions = WebSessions()
        router.get("login") { request, _ in
            let next = request.uri.queryParameters["next"].map(String.init).flatMap { Self.isLocalPath($0) ? $0 : nil }
            return Response.webPage(self.page(nil).loginPage(next: next ?? "/"))
        }
        router.post("login") { request, _ in try await self.signIn(request, sessions) }
        router.post("logout") { request, _ in
            let form = try await self.form(ActionForm.self, request)
            if let id = request.cookies[WebSessions.cookie]?.value, let viewer = self.webViewer(request, sessions),
                self.isSameOrigin(request), Self.sameSecret(form?.formToken ?? "", viewer.formToken)
            {
                sessions.close(id)
                self.logger.info("web sign-out", metadata: ["api.token": "\(viewer.name)"])
            }
            return Response.seeOther("/login", cookie: self.sessionCookie(nil, request: request))
        }
        router.get("/") { request, _ in
            guard let viewer = self.webViewer(request, sessions) else { return self.signInFirst(request) }
            let board = self.board()
            let query = request.uri.queryParameters
            var notice: String? = nil
            if let id = query["acknowledged"].map(String.init), board.openAlarms.contains(where: { $0.id == id }) {
                notice = "已确认报警 Alarm acknowledged: \(id)"
            } else if let id = query["resolved"].map(String.init), Self.looksLikeAlarmID(id) {
                notice = "已处理完毕 Alarm resolved: \(id)"
            }
            return Response.webPage(self.page(viewer).board(board, notice: notice))
        }
        router.get("devices/:id") { request, context in
            guard let viewer = self.webViewer(request, sessions) else { return self.signInFirst(request) }
            let id = try context.parameters.require("id")
            let page = self.page(viewer)
            guard let device = self.site.devices.first(where: { $0.id == id }) else {
                return Response.webPage(
                    page.problemPage(title: "没有此设备 Unknown device", reason: "no device \(id) in the config"),
                    status: .notFound
                )
            }
            return Response.webPage(page.devicePage(await self.deviceView(device, now: page.now)))
        }
        router.get("alarms/:id") { request, context in
            guard let viewer = self.webViewer(request, sessions) else { return self.signInFirst(request) }
            let id = try context.parameters.require("id")
            let page = self.page(viewer)
            guard let alarm = self.board().openAlarms.first(where: { $0.id == id }) else {
                return Response.webPage(
                    page.problemPage(title: "报警已关闭 The alarm is closed", reason: "no open alarm \(id)"),
                    status: .notFound
                )
            }
            return Response.webPage(page.alarmPage(alarm))
        }
        router.post("alarms/:id/ack") { request, context in
            try await self.respond(request, context, sessions) {
                (alarm: String, viewer: WebViewer, _: ActionForm) throws(ServerError) -> EngineCommand in
                .acknowledge(alarm: alarm, by: viewer.name)
            }
        }
        router.post("alarms/:id/resolve") { request, context in
            try await self.respond(request, context, sessions) {
                (alarm: String, viewer: WebViewer, form: ActionForm) throws(ServerError) -> EngineCommand in
                guard let note = form.note?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty else {
                    throw ServerError.badBody("a note is required: say what was found and done")
                }
                guard note.count <= 2000 else { throw ServerError.badBody("the note is longer than 2000 characters") }
                return .resolve(alarm: alarm, by: viewer.name, note: note)
            }
        }
        router.get("tickets") { request, _ in
            guard let viewer = self.webViewer(request, sessions) else { return self.signInFirst(request) }
            var tickets: [WebTicketSummary]? = nil
            do {
                tickets = try await self.webSources.openTickets()
            } catch {
                self.logger.error("web page: cannot read hazard tickets", metadata: ["error": "\(error)"])
            }
            return Response.webPage(self.page(viewer).ticketsPage(tickets))
        }
    }

    private func page(_ viewer: WebViewer?) -> WebPage { WebPage(site: site, viewer: viewer, now: clock()) }

    private func signIn(_ request: Request, _ sessions: WebSessions) async throws -> Response {
        let page = self.page(nil)
        guard isSameOrigin(request) else {
            return .webPage(page.loginPage(problem: "请从本页登录 · Sign in from this page"), status: .forbidden)
        }
        let form = try await self.form(SignInForm.self, request)
        let next = form?.next.flatMap { Self.isLocalPath($0) ? $0 : nil } ?? "/"
        let presented = form?.token?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !presented.isEmpty, let token = tokens.authenticate(presented) else {
            logger.notice("web sign-in refused: unknown token")
            return .webPage(
                page.loginPage(problem: "令牌无效 · This token is not valid", next: next),
                status: .unauthorized
            )
        }
        let (id, _) = sessions.open(token: presented, now: clock())
        logger.info("web sign-in", metadata: ["api.token": "\(token.name)", "role": "\(token.role.rawValue)"])
        return .seeOther(next, cookie: sessionCookie(id, request: request))
    }

    /// An acknowledge or resolve form: signed in, from our page with the session's form token,
    /// a role that may respond; then the engine's answer, back to the board.
    private func respond(
        _ request: Request,
        _ context: BasicRequestContext,
        _ sessions: WebSessions,
        command: (String, WebViewer, ActionForm) throws(ServerError) -> EngineCommand
    ) async throws -> Response {
        guard let viewer = webViewer(request, sessions) else { return signInFirst(request) }
        let page = self.page(viewer)
        let alarm = try context.parameters.require("id")
        let form = try await self.form(ActionForm.self, request)
        guard isSameOrigin(request), Self.sameSecret(form?.formToken ?? "", viewer.formToken) else {
            logger.notice("web form refused: not from this site's page", metadata: ["api.token": "\(viewer.name)"])
            return .webPage(
                page.problemPage(
                    title: "请求被拒绝 Refused",
                    reason: "this form did not come from this gateway's page; reload and try again"
                ),
                status: .forbidden
            )
        }
        let token = APIToken(name: viewer.name, role: viewer.role)
        do {
            guard viewer.role.permits(.respond) else { throw ServerError.forbidden(token, needs: .respond) }
            let events = try await perform(try command(alarm, viewer, form ?? ActionForm()), token: token)
            let done = events.contains { $0.type == .alarmResolved } ? "resolved" : "acknowledged"
            let id = Self.pathSegment(alarm)
            return .seeOther("/?\(done)=\(id)#alarm-\(id)")
        } catch let error as ServerError {
            return .webPage(page.problemPage(title: "未能完成 Not done", reason: error.reason), status: error.status)
        }
    }

    /// A form body; nil when it cannot be read as one.
    private func form<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T? {
        try? URLEncodedFormDecoder().decode(T.self, from: try await bodyText(request))
    }

    static func looksLikeAlarmID(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)
            }
    }

    private static func pathSegment(_ text: String) -> String { WebPage.pathSegment(text) }
}
