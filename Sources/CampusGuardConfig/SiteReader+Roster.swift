import CampusGuardCore
import Foundation
import Yams

/// `people` and `roster`: who can be notified, and who is on duty when.
extension SiteReader {
    func readRoster(
        _ r: inout MappingReader,
        timezone: String,
        buildingIDs: Set<String>,
        channelIDs: Set<String>
    ) -> DutyRoster {
        let people = readPeople(&r, channelIDs: channelIDs)
        var roster = DutyRoster(
            timeZone: TimeZone(identifier: timezone) ?? TimeZone(identifier: "Asia/Shanghai")!,
            people: people
        )
        guard var s = r.mapping("roster") else { return roster }
        var roleIDs: Set<String> = []
        for (i, node) in (s.sequence("roles") ?? []).enumerated() {
            guard var role = MappingReader(node, file: r.file, path: "roster.roles[\(i)]", log: r.log) else { continue }
            let id = role.identifier("id", required: true)
            let name = role.string("name")
            role.finish()
            guard let id else { continue }
            if !roleIDs.insert(id).inserted {
                role.report(role.value("id"), "\(role.name("id")) \"\(id)\" is used twice")
            }
            roster.roles.append(DutyRole(id: id, name: name))
        }
        let known = Known(people: Set(people.map(\.id)), roles: roleIDs, buildings: buildingIDs, channels: channelIDs)
        for (i, node) in (s.sequence("shifts") ?? []).enumerated() {
            if let shift = readShift(
                node,
                path: "roster.shifts[\(i)]",
                known: known,
                holiday: false,
                file: r.file,
                log: r.log
            ) {
                roster.shifts.append(shift)
            }
        }
        for (i, node) in (s.sequence("holidays") ?? []).enumerated() {
            guard var h = MappingReader(node, file: r.file, path: "roster.holidays[\(i)]", log: r.log) else { continue }
            defer { h.finish() }
            let name = h.string("name", required: true)
            let dates = readDates(&h)
            let like = h.value("like")
            let shifts = h.sequence("shifts")
            guard (like == nil) != (shifts == nil) else {
                h.report(h.node, "\(h.path): give either like: WEEKDAY (e.g. sunday) or shifts: [...], not both")
                continue
            }
            let rule: Holiday.Rule
            if let shifts {
                rule = .shifts(
                    shifts.enumerated().compactMap { j, node in
                        readShift(
                            node,
                            path: "\(h.path).shifts[\(j)]",
                            known: known,
                            holiday: true,
                            file: h.file,
                            log: h.log
                        )
                    }
                )
            } else {
                guard let text = h.string("like"), let day = Weekday(name: text) else {
                    h.report(like, "\(h.name("like")) must be a weekday such as sunday or monday")
                    continue
                }
                rule = .like(day)
            }
            guard let (from, to) = dates else { continue }
            if let other = roster.holidays.first(where: { $0.from <= to && from <= $0.to }) {
                h.report(
                    h.value("date") ?? h.value("from"),
                    "\(h.path): \(from)…\(to) overlaps holiday \"\(other.name)\" (\(other.from)…\(other.to))"
                )
                continue
            }
            if let name { roster.holidays.append(Holiday(name: name, from: from, to: to, rule: rule)) }
        }
        s.finish()
        return roster
    }

    /// The ids a roster entry may refer to.
    struct Known {
        var people: Set<String>
        var roles: Set<String>
        var buildings: Set<String>
        var channels: Set<String>
    }

    private func readPeople(_ r: inout MappingReader, channelIDs: Set<String>) -> [Person] {
        var out: [Person] = []
        for (i, node) in (r.sequence("people") ?? []).enumerated() {
            guard var p = MappingReader(node, file: r.file, path: "people[\(i)]", log: r.log) else { continue }
            let id = p.identifier("id", required: true)
            let name = p.string("name", required: true)
            let phone = p.string("phone")
            let channels = references(&p, "channels", known: channelIDs, what: "channel", section: "channels")
            p.finish()
            guard let id, let name else { continue }
            if out.contains(where: { $0.id == id }) {
                p.report(p.value("id"), "\(p.name("id")) \"\(id)\" is used twice")
            }
            out.append(Person(id: id, name: name, phone: phone, channels: channels ?? []))
        }
        return out
    }

    private func readShift(
        _ node: Node,
        path: String,
        known: Known,
        holiday: Bool,
        file: String,
        log: DiagnosticLog
    ) -> Shift? {
        guard var s = MappingReader(node, file: file, path: path, log: log) else { return nil }
        defer { s.finish() }
        let role = s.identifier("role", required: true)
        if let role, !known.roles.contains(role) {
            s.report(s.value("role"), "\(s.name("role")): unknown role \"\(role)\" (not under roster.roles)")
        }
        let people = references(&s, "people", known: known.people, what: "person", section: "people")
        if let v = s.value("people") {
            if v.sequence?.isEmpty == true { s.report(v, "\(s.name("people")) must list at least one person") }
        } else {
            s.report(s.node, "\(s.name("people")) is required")
        }
        var days = Weekday.everyday
        if holiday {
            if let d = s.value("days") {
                s.report(d, "\(s.name("days")): a holiday's shifts run on every date of the holiday")
            }
        } else if let d = readDays(&s) {
            days = d
        }
        var hours: ShiftHours? = nil
        if let text = s.string("time", required: true) {
            hours = ShiftHours(parsing: text)
            if hours == nil {
                s.report(
                    s.value("time"),
                    "\(s.name("time")) \"\(text)\" must be HH:MM-HH:MM, e.g. 08:00-18:00 or 22:00-07:00 (across midnight)"
                )
            }
        }
        let buildings = references(&s, "buildings", known: known.buildings, what: "location", section: "locations")
        guard let role, let people, !people.isEmpty, let hours else { return nil }
        return Shift(role: role, people: people, days: days, hours: hours, buildings: buildings)
    }

    /// `days`: `weekdays`, `weekends`, `everyday`, a weekday (`monday` or `mon`), or a list of them.
    private func readDays(_ s: inout MappingReader) -> Set<Weekday>? {
        guard let v = s.value("days") else { return nil }
        let nodes = v.sequence.map(Array.init) ?? [v]
        var out: Set<Weekday> = []
        for n in nodes {
            let name = n.scalar?.string.lowercased() ?? ""
            switch name {
            case "weekdays": out.formUnion(Weekday.weekdays)
            case "weekends": out.formUnion(Weekday.weekends)
            case "everyday": out.formUnion(Weekday.everyday)
            default:
                if let day = Weekday(name: name) {
                    out.insert(day)
                } else {
                    s.report(
                        n,
                        "\(s.name("days")): \"\(name)\" is not weekdays, weekends, everyday or a weekday such as monday"
                    )
                }
            }
        }
        if nodes.isEmpty { s.report(v, "\(s.name("days")) must name at least one day") }
        return out
    }

    /// `date: 2026-10-01`, or `from:` and `to:` (both included).
    private func readDates(_ h: inout MappingReader) -> (CalendarDay, CalendarDay)? {
        func day(_ key: String) -> CalendarDay? {
            guard let text = h.string(key) else { return nil }
            guard let d = CalendarDay(parsing: text) else {
                h.report(h.value(key), "\(h.name(key)) \"\(text)\" must be a date YYYY-MM-DD")
                return nil
            }
            return d
        }
        let hasDate = h.value("date") != nil
        let hasRange = h.value("from") != nil || h.value("to") != nil
        guard hasDate != hasRange else {
            h.report(h.node, "\(h.path): give date: YYYY-MM-DD, or from: and to:")
            return nil
        }
        if hasDate { return day("date").map { ($0, $0) } }
        guard h.value("from") != nil, h.value("to") != nil else {
            h.report(h.node, "\(h.path): a date range needs both from: and to:")
            return nil
        }
        guard let from = day("from"), let to = day("to") else { return nil }
        guard from <= to else {
            h.report(h.value("to"), "\(h.name("to")) \(to) is before from \(from)")
            return nil
        }
        return (from, to)
    }

    /// A list of ids that must be declared elsewhere; unknown ones are reported and dropped.
    func references(
        _ r: inout MappingReader,
        _ key: String,
        known: Set<String>,
        what: String,
        section: String
    ) -> [String]? {
        guard let nodes = r.sequence(key) else { return nil }
        var out: [String] = []
        for n in nodes {
            guard let id = n.scalar?.string, !id.isEmpty else {
                r.report(n, "\(r.name(key)) must list \(what) ids")
                continue
            }
            guard known.contains(id) else {
                r.report(n, "\(r.name(key)): unknown \(what) \"\(id)\" (not under \(section))")
                continue
            }
            if !out.contains(id) { out.append(id) }
        }
        return out
    }
}
