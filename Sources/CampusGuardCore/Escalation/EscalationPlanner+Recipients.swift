/// Who a tier reaches, and on which channels.
extension EscalationPlanner {
    /// The people a tier names, as the roster has them at `instant`, each once, in tier order.
    public func people(of tier: EscalationTier, at instant: Instant, building: String?) -> [Person] {
        var seen: Set<String> = []
        var out: [Person] = []
        for recipient in tier.recipients {
            let found: [Person]
            switch recipient {
            case .role(let role):
                found = roster.onDuty(role: role, at: instant, building: building)
            case .person(let id):
                found = roster.person(id).map { [$0] } ?? []
            case .everyoneOnDuty:
                found = roster.everyoneOnDuty(at: instant).filter { $0.shift.covers(building: building) }.map(\.person)
            }
            for person in found where seen.insert(person.id).inserted { out.append(person) }
        }
        return out
    }

    /// Each channel a tier uses, with the people to address there: the tier's channels (all
    /// configured ones when it names none) with everyone, then people's own channels with them.
    ///
    /// A channel is used even when nobody is on duty: a group chat still sees the alarm.
    public func targets(of tier: EscalationTier, at instant: Instant, building: String?) -> [(String, [Person])] {
        let people = people(of: tier, at: instant, building: building)
        let shared = tier.channels ?? channels
        var out = shared.map { ($0, people) }
        for person in people {
            for channel in person.channels where !shared.contains(channel) {
                if let i = out.firstIndex(where: { $0.0 == channel }) {
                    out[i].1.append(person)
                } else {
                    out.append((channel, [person]))
                }
            }
        }
        return out
    }
}
