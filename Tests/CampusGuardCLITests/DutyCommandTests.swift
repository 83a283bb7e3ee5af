import CampusGuardTestKit
import Foundation
import Testing

@Suite("campusguard duty", .serialized)
struct DutyCommandTests {
    static let example = "Config/campusguard.example.yaml"

    func json(_ at: String) throws -> [String: Any] {
        let r = try CampusGuardProcess.run(["duty", "--config", Self.example, "--at", at, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    @Test("prints who is on duty per role and building, and how a fire in each building would escalate")
    func text() throws {
        let r = try CampusGuardProcess.run(["duty", "--config", Self.example, "--at", "2026-11-20T23:00:00+08:00"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "On duty at 2026-11-20 23:00 Friday (Asia/Shanghai):")
        #expect(lines.contains("  宿管值班 Night warden (night_warden):"))
        #expect(lines.contains("    李娜 Li Na (Dormitory A warden), 13800000006: dorm-a, 22:00-07:00 from 2026-11-20"))
        #expect(
            lines.contains("    刘芳 Liu Fang (dean of students), 13800000003: whole site, 08:00-08:00 from 2026-11-20")
        )
        #expect(lines.contains("  dorm-a (学生宿舍A栋 Dormitory A): policy emergencies; police link at once"))
        #expect(
            lines.contains(
                "    tier 1 at once: duty-dingtalk → 李娜 Li Na (Dormitory A warden), 赵磊 Zhao Lei (night guard), 刘芳 Liu Fang (dean of students) (again every 1m, 3 times)"
            )
        )
        #expect(lines.contains { $0.hasPrefix("    tier 2 after 3m: duty-dingtalk → 陈校长 Principal Chen;") })
        #expect(lines.contains { $0.hasPrefix("  canteen, kitchen, lab, power, gate: policy emergencies") })
    }

    @Test("--json: the same for scripts, also across midnight and on a holiday")
    func json() throws {
        let night = try json("2026-11-21T03:00:00+08:00")
        #expect(night["timezone"] as? String == "Asia/Shanghai")
        #expect(night["holiday"] == nil)
        let onDuty = try #require(night["on_duty"] as? [[String: Any]])
        let wardens = onDuty.filter { $0["role"] as? String == "night_warden" }
        #expect(wardens.map { $0["person"] as? String } == ["li-na", "sun-li"])
        #expect(wardens.first?["buildings"] as? [String] == ["dorm-a"])
        #expect(wardens.first?["shift_started"] as? String == "2026-11-20", "Friday's night shift")
        let fire = try #require(night["fire"] as? [[String: Any]])
        let dormB = try #require(fire.first { $0["building"] as? String == "dorm-b" })
        #expect(dormB["police"] as? Bool == true)
        let tiers = try #require(dormB["tiers"] as? [[String: Any]])
        let first = try #require((tiers.first?["channels"] as? [[String: Any]])?.first)
        #expect(first["people"] as? [String] == ["sun-li", "zhao-lei", "liu-fang"])
        #expect(tiers.last?["after"] as? String == "3m")

        let winter = try json("2027-01-24T03:00:00+08:00")
        #expect(winter["holiday"] as? String == "寒假 Winter break")
        let people = (winter["on_duty"] as? [[String: Any]] ?? []).compactMap { $0["person"] as? String }
        #expect(people == ["zhang-wei", "zhao-lei", "chen-principal"], "no wardens in the break")
    }

    @Test("a config with only the contract's sections: nobody on duty, the default policy")
    func minimal() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cg-duty-\(UUID().uuidString).yaml")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "site: {id: s, name: S}\nlocations: [{id: a, name: A, kind: gym}]\ndevices: []\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CampusGuardProcess.run(["duty", "--config", path, "--at", "2026-11-21T12:00:00+08:00"])
        #expect(r.status == 0)
        #expect(
            r.stdout.split(separator: "\n") == [
                "On duty at 2026-11-21 12:00 Saturday (Asia/Shanghai):", "  nobody (no shift covers this time)",
                "A fire now, by building:", "  a (A): policy default; not to the police link",
                "    tier 1 at once: no channel",
            ]
        )
    }

    @Test("a bad --at or a bad config is a clear error")
    func errors() throws {
        let at = try CampusGuardProcess.run(["duty", "--config", Self.example, "--at", "tonight"])
        #expect(at.status != 0)
        #expect(at.stderr.contains("--at \"tonight\" is not an RFC 3339 timestamp"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cg-duty-\(UUID().uuidString).yaml")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try
            "site: {id: s, name: S}\nlocations: [{id: a, name: A, kind: gym}]\ndevices: []\nroster: {shifts: [{role: x, people: [], time: \"9-5\"}]}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let bad = try CampusGuardProcess.run(["duty", "--config", path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("\(path):4:26: roster.shifts[0].role: unknown role \"x\" (not under roster.roles)"))
        #expect(bad.stderr.contains("\(path):4:37: roster.shifts[0].people must list at least one person"))
        #expect(bad.stderr.contains("\(path):4:47: roster.shifts[0].time \"9-5\" must be HH:MM-HH:MM"))
        #expect(bad.stderr.contains("3 problems found"))
    }
}
