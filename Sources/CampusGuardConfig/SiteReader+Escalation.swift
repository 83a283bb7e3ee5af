import CampusGuardCore
import Yams

/// `people`, `roster` and `escalation`: who hears of which alarm, where and when.
extension SiteReader {
    /// The roster and the policies, every reference checked against the sections it names.
    func readEscalation(
        _ r: inout MappingReader,
        timezone: String,
        buildingIDs: Set<String>,
        channelIDs: Set<String>
    ) -> (DutyRoster, [EscalationPolicy]) {
        let roster = readRoster(&r, timezone: timezone, buildingIDs: buildingIDs, channelIDs: channelIDs)
        guard var e = r.mapping("escalation") else { return (roster, []) }
        let known = Known(
            people: Set(roster.people.map(\.id)),
            roles: Set(roster.roles.map(\.id)),
            buildings: buildingIDs,
            channels: channelIDs
        )
        var policies: [EscalationPolicy] = []
        for (i, node) in (e.sequence("policies") ?? []).enumerated() {
            guard var p = MappingReader(node, file: r.file, path: "escalation.policies[\(i)]", log: r.log) else {
                continue
            }
            defer { p.finish() }
            let id = p.identifier("id", required: true)
            if let id, policies.contains(where: { $0.id == id }) {
                p.report(p.value("id"), "\(p.name("id")) \"\(id)\" is used twice")
            }
            let match = readMatch(&p, known: known)
            if let everything = policies.first(where: { $0.match == EscalationPolicy.Match() }) {
                p.report(p.node, "\(p.path) is never used: policy \(everything.id) before it matches every alarm")
            }
            let police = p.bool("police") ?? true
            let reacknowledge = p.duration("reacknowledge_after")
            if let reacknowledge, reacknowledge < .minutes(1) {
                p.report(p.value("reacknowledge_after"), "\(p.name("reacknowledge_after")) must be at least 1m")
            }
            guard let tierNodes = p.sequence("tiers"), !tierNodes.isEmpty else {
                p.report(p.value("tiers") ?? p.node, "\(p.name("tiers")) must list at least one tier")
                continue
            }
            let tiers = tierNodes.enumerated().compactMap { j, node in
                readTier(node, path: "\(p.path).tiers[\(j)]", known: known, file: r.file, log: r.log)
            }
            guard let id, let match, tiers.count == tierNodes.count else { continue }
            policies.append(
                EscalationPolicy(
                    id: id,
                    match: match,
                    tiers: tiers,
                    police: police,
                    reacknowledgeAfter: reacknowledge
                )
            )
        }
        e.finish()
        return (roster, policies)
    }

    /// `match`: kinds, min_severity, buildings, test; absent matches every alarm.
    private func readMatch(_ p: inout MappingReader, known: Known) -> EscalationPolicy.Match? {
        var match = EscalationPolicy.Match()
        guard var m = p.mapping("match") else {
            return p.value("match") == nil ? match : nil
        }
        defer { m.finish() }
        if let v = m.value("kinds") {
            let nodes = v.sequence.map(Array.init) ?? [v]
            var kinds: [AlarmKind] = []
            for n in nodes {
                guard let kind = n.scalar.flatMap({ AlarmKind(rawValue: $0.string) }) else {
                    m.report(
                        n,
                        "\(m.name("kinds")): \"\(n.scalar?.string ?? "")\" is not an alarm kind (\(AlarmKind.allCases.map(\.rawValue).joined(separator: ", ")))"
                    )
                    continue
                }
                if !kinds.contains(kind) { kinds.append(kind) }
            }
            if nodes.isEmpty { m.report(v, "\(m.name("kinds")) must name at least one kind") }
            match.kinds = kinds
        }
        match.minimumSeverity = m.oneOf("min_severity", Severity.self) ?? .minor
        match.buildings = references(&m, "buildings", known: known.buildings, what: "location", section: "locations")
        match.test = m.bool("test")
        return match
    }

    private func readTier(
        _ node: Node,
        path: String,
        known: Known,
        file: String,
        log: DiagnosticLog
    )
        -> EscalationTier?
    {
        guard var t = MappingReader(node, file: file, path: path, log: log) else { return nil }
        defer { t.finish() }
        let roles = references(&t, "roles", known: known.roles, what: "role", section: "roster.roles") ?? []
        let people = references(&t, "people", known: known.people, what: "person", section: "people") ?? []
        let channels = references(&t, "channels", known: known.channels, what: "channel", section: "channels")
        if let v = t.value("channels"), v.sequence?.isEmpty == true {
            t.report(v, "\(t.name("channels")) must not be empty (leave it out for every channel)")
        }
        var tier = EscalationTier(
            recipients: roles.map { .role($0) } + people.map { .person($0) },
            channels: channels,
            after: t.duration("after") ?? .zero
        )
        if var rep = t.mapping("repeat") {
            let every = rep.duration("every")
            let times = rep.int("times", in: 1...100, required: true)
            if every == nil { rep.report(rep.node, "\(rep.name("every")) is required") }
            if let every, every < .seconds(10) {
                rep.report(rep.value("every"), "\(rep.name("every")) must be at least 10s")
            }
            rep.finish()
            tier.repeatEvery = every
            tier.repeatTimes = times ?? 0
        }
        return tier
    }
}
