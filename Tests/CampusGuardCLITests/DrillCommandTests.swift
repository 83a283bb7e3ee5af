import CampusGuardTestKit
import Foundation
import Testing

@Suite("campusguard drill", .serialized)
struct DrillCommandTests {
    /// A config naming the fixture's store, in the fixture's directory.
    static func config(_ f: DrillFixture) throws -> String {
        let path = f.dir.path + "/campusguard.yaml"
        let text = """
            site: {id: demo, name: 测试学校 Demo School, timezone: Asia/Shanghai}
            locations:
              - {id: dorm-a, name: 一号宿舍楼 Dormitory A, kind: dormitory}
              - {id: dorm-b, name: 二号宿舍楼 Dormitory B, kind: dormitory}
            devices: []
            storage: {path: \(f.dir.storePath)}
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("report: Markdown by default, with the drill, its alarms in site time and the summary")
    func markdown() async throws {
        let f = try await DrillFixture()
        let r = try CampusGuardProcess.run(["drill", "report", "--config", Self.config(f)])
        #expect(r.status == 0, "\(r.stderr)")
        let md = r.stdout
        #expect(md.hasPrefix("# 演练报告 · Drill report\n"))
        #expect(md.contains("## 演练 Drill #\(f.drillID): 宿舍A 夜间疏散演练"))
        #expect(md.contains("| 范围 · Covers | 一号宿舍楼 Dormitory A (dorm-a) |"))
        #expect(md.contains("| 开始 · Started | 2026-11-18 19:06:40, principal |"), "site time, UTC+8")
        #expect(md.contains("| 时长 · Duration | 10 min |"))
        #expect(
            md.contains(
                "| A-1 | 烟感报警 · smoke → 火警 · fire | dorm-a/3/301 | 2026-11-18 19:06:50 | "
                    + "第 1 级 · tier 1: +0.052 s (duty-webhook)<br>第 2 级 · tier 2: +2 min (duty-dingtalk) | "
                    + "王老师, +2 min 20 s | 李老师, +6 min 30 s |"
            ),
            "\(md)"
        )
        #expect(
            md.contains(
                "| A-3 | 烟感报警 · smoke | dorm-a/3/301 | 2026-11-18 19:11:40 | 第 1 级 · tier 1: 未送达 · not delivered | **未确认 · never** | — |"
            )
        )
        #expect(md.contains("| 60 秒内确认 · Acknowledged within 60 s | 2 |"))
        #expect(md.contains("| 无人确认 · Never acknowledged | 1 |"))
        #expect(md.contains("| 最慢确认 · Slowest acknowledgement | 2 min 20 s (A-1) |"))
        #expect(md.contains("| 王老师 | 2 | 1 min 40 s | 2 min 20 s |"))
        #expect(!md.contains("X-"), "alarms outside the drill are left out")
    }

    @Test("report: CSV has a header and one line per alarm; JSON holds the same for tools")
    func csvAndJSON() async throws {
        let f = try await DrillFixture()
        let config = try Self.config(f)
        let csv = try CampusGuardProcess.run(["drill", "report", "--config", config, "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(
            lines.first?.hasPrefix("drill,drill_name,alarm,kind,raised_kind,location,devices,raised_at,notified,")
                == true
        )
        #expect(
            lines[1]
                == "\(f.drillID),宿舍A 夜间疏散演练,A-1,fire,smoke,dorm-a/3/301,A-1-dev,2026-11-18T11:06:50Z,"
                + "tier 1 +0.052s duty-webhook; tier 2 +120.1s duty-dingtalk,王老师,2026-11-18T11:09:10Z,140,"
                + "李老师,2026-11-18T11:13:20Z,390"
        )
        #expect(lines[3].hasSuffix(",A-3-dev,2026-11-18T11:11:40Z,tier 1 not delivered,,,,,,"))

        let json = try CampusGuardProcess.run(["drill", "report", "--config", config, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let drills = try #require(object["drills"] as? [[String: Any]])
        #expect(drills.count == 1)
        #expect(drills[0]["buildings"] as? [String] == ["dorm-a"])
        #expect(drills[0]["stopped_by"] as? String == "principal")
        let alarms = try #require(drills[0]["alarms"] as? [[String: Any]])
        #expect(alarms.map { $0["alarm"] as? String } == ["A-1", "A-2", "A-3", "A-4"])
        let ack = try #require(alarms[0]["acknowledged"] as? [String: Any])
        #expect(ack["by"] as? String == "王老师" && ack["after_s"] as? Double == 140)
        #expect(alarms[2]["acknowledged"] is NSNull)
        let summary = try #require(drills[0]["summary"] as? [String: Any])
        #expect(summary["acknowledged_within_60s"] as? Int == 2)
        #expect(summary["median_to_acknowledge_s"] as? Double == 60)
    }

    @Test("report: --drill picks one; an unknown drill is exit 1; --since after every drill says none")
    func selection() async throws {
        let f = try await DrillFixture()
        let config = try Self.config(f)
        let one = try CampusGuardProcess.run(["drill", "report", "--config", config, "--drill", "\(f.drillID)"])
        #expect(one.status == 0)
        #expect(one.stdout.contains("宿舍A 夜间疏散演练"))
        let unknown = try CampusGuardProcess.run(["drill", "report", "--config", config, "--drill", "99"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no drill 99"))
        let none = try CampusGuardProcess.run([
            "drill", "report", "--config", config, "--since", "2030-01-01T00:00:00+08:00",
        ])
        #expect(none.status == 0)
        #expect(none.stdout.contains("No drill recorded in this range."))
        let both = try CampusGuardProcess.run([
            "drill", "report", "--config", config, "--drill", "1", "--since", "2030-01-01T00:00:00Z",
        ])
        #expect(both.status != 0)
        #expect(both.stderr.contains("not both"))
    }

    @Test("start and stop: no token, an unreadable token file, no daemon listening: clear errors, exit 1")
    func startErrors() throws {
        let dir = TemporaryDirectory("drill-cli")
        let port = try FreePort.find()
        let url = "http://127.0.0.1:\(port)"
        let noToken = try CampusGuardProcess.run(["drill", "start", "x", "--url", url])
        #expect(noToken.status == 1)
        #expect(noToken.stderr.contains("no API token"))
        let missing = try CampusGuardProcess.run(["drill", "stop", "--url", url, "--token-file", dir.path + "/none"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read the token file"))
        let file = dir.path + "/token"
        try "some-token\n".write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try CampusGuardProcess.run(["drill", "start", "x", "--url", url, "--token-file", file])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("cannot reach the daemon at \(url)"), "\(refused.stderr)")
    }
}
