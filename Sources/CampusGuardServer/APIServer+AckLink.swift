import CampusGuardCore
import Hummingbird
import Logging

extension APIServer {
    private struct AckForm: Decodable {
        var by: String?
    }

    /// What the store says of an alarm.
    private enum Lookup {
        case open(OpenAlarmRecord)
        case closed
        /// No store, or it could not be read: the page shows the id only.
        case unknown

        var record: OpenAlarmRecord? {
            if case .open(let r) = self { r } else { nil }
        }
    }

    /// `GET /ack/{alarm}?exp&sig` shows the alarm and a button; `POST` (the button) acknowledges.
    /// The signature is the credential; no token.
    func addAckLinkRoutes(to router: Router<BasicRequestContext>) {
        router.get("ack/:alarm") { request, context in
            let alarm = try context.parameters.require("alarm")
            if let refusal = self.refuseLink(request, alarm: alarm) { return refusal }
            let pages = AckPage(site: self.site)
            let lookup = await self.lookup(alarm)
            if case .closed = lookup { return Response.html(pages.problem(AckPage.closed), status: .notFound) }
            let query = request.uri.queryParameters
            let action = "?exp=\(query["exp"] ?? "")&sig=\(query["sig"] ?? "")"
            return Response.html(pages.confirm(alarm: alarm, record: lookup.record, action: action))
        }
        router.post("ack/:alarm") { request, context in
            let alarm = try context.parameters.require("alarm")
            if let refusal = self.refuseLink(request, alarm: alarm) { return refusal }
            let pages = AckPage(site: self.site)
            let form = (try? URLEncodedFormDecoder().decode(AckForm.self, from: try await self.bodyText(request)))
            let by = (try? Self.personName(form?.by)).flatMap { $0 } ?? "ack link"
            let events: [Event]
            do {
                events = try await self.perform(.acknowledge(alarm: alarm, by: by), token: nil)
            } catch let error as ServerError {
                switch error.status {
                case .notFound: return Response.html(pages.problem(AckPage.closed), status: .notFound)
                case .serviceUnavailable:
                    return Response.html(pages.problem(AckPage.stopping), status: .serviceUnavailable)
                default:
                    let text = AckPage.Text(zh: "确认未能完成：\(error.reason)", en: "Not acknowledged: \(error.reason)")
                    return Response.html(
                        pages.problem((AckPage.Text(zh: "未能确认", en: "Not acknowledged"), text)),
                        status: error.status
                    )
                }
            }
            let record = await self.lookup(alarm).record
            let at = events.first?.timestamp ?? self.clock()
            return Response.html(pages.acknowledged(alarm: alarm, record: record, by: by, at: at, new: !events.isEmpty))
        }
    }

    /// The page to answer with when the link's signature is bad or it has expired; nil when valid.
    private func refuseLink(_ request: Request, alarm: String) -> Response? {
        let pages = AckPage(site: site)
        guard let key = ackLinkKey else { return .html(pages.problem(AckPage.notEnabled), status: .notFound) }
        let query = request.uri.queryParameters
        let verdict = key.check(
            alarm: alarm,
            exp: query["exp"].map(String.init),
            sig: query["sig"].map(String.init),
            now: clock()
        )
        switch verdict {
        case .valid:
            return nil
        case .expired:
            logger.notice("expired acknowledge link used", metadata: ["alarm": "\(alarm)"])
            return .html(pages.problem(AckPage.expired), status: .forbidden)
        case .invalid:
            logger.notice("acknowledge link with a bad signature refused", metadata: ["alarm": "\(alarm)"])
            return .html(pages.problem(AckPage.invalid), status: .forbidden)
        }
    }

    private func lookup(_ alarm: String) async -> Lookup {
        guard store != nil, let open = try? await openAlarms() else { return .unknown }
        return open.first { $0.id == alarm }.map(Lookup.open) ?? .closed
    }
}
