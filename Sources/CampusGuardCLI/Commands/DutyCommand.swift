import ArgumentParser
import CampusGuardConfig
import CampusGuardCore
import Foundation

/// `campusguard duty`: who is on duty at an instant, and who a fire in each building would reach.
struct DutyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duty",
        abstract: "Show who is on duty, and how a fire in each building would be escalated.",
        discussion: """
            Reads the roster (people, roster) and the escalation policies of a config and prints, \
            for one instant (default: now), the people on duty per role with their buildings, and \
            for each building the policy and tiers a fire there would go through, with the people \
            each tier would reach at the time it fires. See docs/escalation.md.
            """
    )

    @Option(name: .long, help: "The config file (YAML).")
    var config: String

    @Option(name: .long, help: "The instant to show, RFC 3339 (e.g. 2026-11-20T23:00:00+08:00); default: now.")
    var at: String?

    @Flag(name: .long, help: "Print JSON for scripts instead of text.")
    var json = false

    func validate() throws {
        if let at, RFC3339.parse(at) == nil {
            throw ValidationError("--at \"\(at)\" is not an RFC 3339 timestamp such as 2026-11-20T23:00:00+08:00")
        }
    }

    func run() throws {
        let loaded = try loadConfigOrExit(config)
        let instant = at.flatMap(RFC3339.parse) ?? Instant(secondsSinceEpoch: Date().timeIntervalSince1970)
        let report = DutyReport(config: loaded.config, at: instant)
        print(json ? try report.json() : report.text())
    }
}

/// What `duty` prints, worked out by the planner itself from a simulated fire per building.
struct DutyReport: Encodable {
    struct OnDuty: Encodable {
        var role: String
        var roleName: String
        var person: String
        var name: String
        var phone: String?
        /// Nil: the whole site.
        var buildings: [String]?
        var shift: String
        var shiftStarted: String
        var holiday: String?
    }

    struct Fire: Encodable {
        var building: String
        var buildingName: String
        var policy: String
        var police: Bool
        var tiers: [Tier]
    }

    struct Tier: Encodable, Equatable {
        var tier: Int
        /// From the alarm: `0s`, `2m`, …
        var after: String
        var channels: [Channel]
        var repeatEvery: String?
        var repeatTimes: Int?
    }

    struct Channel: Encodable, Equatable {
        var channel: String
        var people: [String]
        var names: [String]
    }

    var at: String
    var localTime: String
    var timezone: String
    var holiday: String?
    var onDuty: [OnDuty]
    var fire: [Fire]

    init(config: SiteConfig, at instant: Instant) {
        let roster = config.roster
        let (day, second) = roster.localTime(instant)
        at = RFC3339.format(instant)
        localTime = "\(day) \(ShiftHours.clock(second / 60)) \(day.weekday.name.capitalized)"
        timezone = roster.timeZone.identifier
        holiday = roster.shifts(on: day).holiday
        onDuty = roster.everyoneOnDuty(at: instant).map { a in
            OnDuty(
                role: a.role,
                roleName: roster.role(a.role)?.name ?? a.role,
                person: a.person.id,
                name: a.person.name,
                phone: a.person.phone,
                buildings: a.shift.buildings,
                shift: a.shift.hours.description,
                shiftStarted: a.day.description,
                holiday: a.holiday
            )
        }
        fire = config.buildings.map { Self.fire(in: $0, config: config, at: instant) }
    }

    /// Runs a fire in the building through a fresh planner until every tier has started.
    private static func fire(in building: Building, config: SiteConfig, at instant: Instant) -> Fire {
        var planner = EscalationPlanner(config: config)
        let event = Event(
            timestamp: instant,
            type: .alarmRaised,
            alarm: "duty-\(building.id)",
            kind: .fire,
            severity: .critical,
            devices: [],
            location: building.id
        )
        let policy = planner.policy(for: event)
        var planned = planner.handle(event, at: instant).deliveries
        var bound = 0
        while let due = planner.nextDeadline, bound < 1000 {
            planned += planner.tick(now: due).deliveries
            bound += 1
        }
        let starts = planned.filter { $0.reason == .raised || $0.reason == .escalated }
        var after = Interval.zero
        let tiers = policy.tiers.enumerated().map { k, tier in
            let deliveries = starts.filter { $0.tier == k + 1 }
            after = after + tier.after
            return Tier(
                tier: k + 1,
                after: after.description,
                channels: deliveries.map { d in
                    Channel(channel: d.targetName, people: d.recipients.map(\.id), names: d.recipients.map(\.name))
                },
                repeatEvery: tier.repeatTimes > 0 ? tier.repeatEvery?.description : nil,
                repeatTimes: tier.repeatTimes > 0 ? tier.repeatTimes : nil
            )
        }
        return Fire(
            building: building.id,
            buildingName: building.name,
            policy: policy.id,
            police: planned.contains { $0.target == .police(restore: false) },
            tiers: tiers
        )
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func text() -> String {
        var lines = ["On duty at \(localTime) (\(timezone))\(holiday.map { ", holiday \($0)" } ?? ""):"]
        if onDuty.isEmpty { lines.append("  nobody (no shift covers this time)") }
        var roles: [String] = []
        for d in onDuty where !roles.contains(d.role) { roles.append(d.role) }
        for role in roles {
            let people = onDuty.filter { $0.role == role }
            let name = people[0].roleName
            lines.append("  \(name == role ? role : "\(name) (\(role))"):")
            for p in people {
                let place = p.buildings?.joined(separator: ", ") ?? "whole site"
                let phone = p.phone.map { ", \($0)" } ?? ""
                lines.append("    \(p.name)\(phone): \(place), \(p.shift) from \(p.shiftStarted)")
            }
        }
        lines.append("")
        lines.append("A fire now, by building:")
        // Buildings that would see the same escalation are listed together.
        var groups: [[Fire]] = []
        for f in fire {
            if let last = groups.last?.first, last.policy == f.policy, last.police == f.police, last.tiers == f.tiers {
                groups[groups.count - 1].append(f)
            } else {
                groups.append([f])
            }
        }
        for group in groups {
            let f = group[0]
            let names =
                group.count == 1 ? "\(f.building) (\(f.buildingName))" : group.map(\.building).joined(separator: ", ")
            let police = f.police ? "; police link at once" : "; not to the police link"
            lines.append("  \(names): policy \(f.policy)\(police)")
            for t in f.tiers {
                let when = t.after == "0s" ? "at once" : "after \(t.after)"
                let reach =
                    t.channels.map { c in
                        "\(c.channel) → \(c.names.isEmpty ? "nobody on duty" : c.names.joined(separator: ", "))"
                    }
                    .joined(separator: "; ")
                let again = t.repeatEvery.map { " (again every \($0), \(t.repeatTimes ?? 0) times)" } ?? ""
                lines.append("    tier \(t.tier) \(when): \(reach.isEmpty ? "no channel" : reach)\(again)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
