import CampusGuardCore
import CampusGuardServer
import Foundation
import Testing

@Suite("safety report: Markdown, CSV and JSON")
struct SafetyReportRenderingTests {
    typealias E = ReportEvents

    static let site = SiteConfig(
        site: .init(id: "demo", name: "测试学校 Demo School", timezone: "Asia/Shanghai"),
        buildings: [Building(id: "dorm-a", name: "一号宿舍楼", kind: .dormitory)],
        devices: []
    )

    static var report: SafetyReport {
        let events =
            [
                E.event(.alarmRaised, "A-1", at: 100),
                E.event(.deliverySent, "A-1", at: 100, channel: "duty-webhook"),
                E.event(.alarmUpdated, "A-1", at: 130, kind: .fire),
                E.event(.alarmAcknowledged, "A-1", at: 140, kind: .fire, by: "王老师"),
                E.event(.alarmRaised, "A-2", at: 200, kind: .gasLeak, location: "canteen|1/kitchen"),
                E.event(.alarmRaised, "T-1", at: 250, test: true),
            ]
            + E.offline("F-1", ["dev-1"], from: -20, to: 30)
            + E.offline("F-2", ["dev-2", "dev-3"], from: 3000, to: nil, reason: "bridge_offline")
        let ticket = SafetyReport.OpenTicket(
            id: "H-7",
            building: "dorm-a",
            title: "exit, blocked \"again\"",
            state: "assigned",
            opened: E.at(-86_400 * 2)
        )
        return SafetyReport(events: events, since: E.at(0), until: E.at(3600), tickets: [ticket])
    }

    @Test("Markdown: tables per section, times in site time, response delays, never-acknowledged in bold")
    func markdown() {
        let md = Self.report.markdown(site: Self.site)
        #expect(md.hasPrefix("# 安全报告 · Safety report\n"))
        // 1_795_000_000 is 2026-11-18T11:06:40Z: 19:06:40 in Shanghai.
        #expect(md.contains("测试学校 Demo School (demo) · 2026-11-18 19:06:40 — 2026-11-18 20:06:40 (Asia/Shanghai)"))
        #expect(
            md.contains(
                "| A-1 | 烟感报警 · smoke → 火警 · fire | dorm-a/3/301 | 2026-11-18 19:08:20 | +0 s (duty-webhook) | "
                    + "王老师, +40 s | — |"
            ),
            "\(md)"
        )
        #expect(
            md.contains(
                "| A-2 | 燃气泄漏 · gas_leak | canteen\\|1/kitchen | 2026-11-18 19:10:00 | 未送达 · none delivered | **未确认 · never** | — |"
            )
        )
        #expect(md.contains("| 报警数 · Alarms | 2 |"))
        #expect(md.contains("| 确认用时中位数 · Median time to acknowledge | 40 s |"))
        #expect(md.contains("| 最慢确认 · Slowest acknowledgement | 40 s (A-1) |"))
        #expect(md.contains("## 测试与演练 · Tests and drills\n\n| 报警 · Alarm |"))
        #expect(md.contains("| T-1 | 烟感报警 · smoke |"))
        #expect(
            md.contains(
                "| F-1 | 设备故障 · device_fault | silent | dorm-a/3/301 | dev-1 | 2026-11-18 19:06:20 | 2026-11-18 19:07:10 | 50 s |"
            )
        )
        #expect(
            md.contains(
                "| F-2 | 设备故障 · device_fault | bridge_offline | dorm-a/3/301 | dev-2, dev-3 | 2026-11-18 19:56:40 | **未恢复 · still open** | 10 min |"
            )
        )
        #expect(md.contains("| dev-1 | 30 s | 1 | 在线 · back online |"))
        #expect(md.contains("| dev-2 | 10 min | 1 | **仍离线 · still offline** |"))
        #expect(
            md.contains("| H-7 | 一号宿舍楼 (dorm-a) | exit, blocked \"again\" | assigned | 2026-11-16 19:06:40 | 2 d 1 h |")
        )
    }

    @Test("Markdown of an empty period says so in each section")
    func emptyMarkdown() {
        let md = SafetyReport(events: [], since: E.at(0), until: E.at(60)).markdown(site: Self.site)
        #expect(md.contains("期间没有报警。 · No alarm in this period."))
        #expect(md.contains("期间没有故障。 · No fault in this period."))
        #expect(md.contains("期间没有设备离线。 · No device was offline in this period."))
        #expect(md.contains("没有未关闭的隐患。 · No open hazard ticket."))
    }

    @Test("CSV: one section per table, each with its header, every line starting with its section")
    func csv() throws {
        let csv = Self.report.csv()
        let sections = csv.components(separatedBy: "\n\n")
        #expect(sections.count == 5)
        #expect(
            sections.map { $0.split(separator: "\n").first.map(String.init) ?? "" }
                == SafetyReport.csvSections.map { SafetyReport.csvHeaders[$0]! }
        )
        for (section, name) in zip(sections, SafetyReport.csvSections) {
            for line in section.split(separator: "\n").dropFirst() { #expect(line.hasPrefix(name + ","), "\(line)") }
        }
        #expect(
            csv.contains(
                "alarms,A-1,false,fire,smoke,critical,dorm-a/3/301,dev-1,2026-11-18T11:08:20Z,2026-11-18T11:08:20Z,"
                    + "duty-webhook,0,王老师,2026-11-18T11:09:00Z,40,,,\n"
            ),
            "\(csv)"
        )
        #expect(
            csv.contains(
                "alarms,A-2,false,gas_leak,gas_leak,major,canteen|1/kitchen,dev-1,2026-11-18T11:10:00Z,,,,,,,,,\n"
            )
        )
        #expect(csv.contains("summary,real,median_to_acknowledge_s,40\n"))
        #expect(csv.contains("summary,real,kind:fire,1\n"))
        #expect(csv.contains("summary,test,alarms,1\n"))
        #expect(
            csv.contains(
                "faults,F-2,false,device_fault,bridge_offline,dorm-a/3/301,dev-2 dev-3,2026-11-18T11:56:40Z,,600\n"
            )
        )
        #expect(csv.contains("offline,dev-1,30,1,false\n"))
        #expect(
            csv.contains("tickets,H-7,dorm-a,\"exit, blocked \"\"again\"\"\",assigned,2026-11-16T11:06:40Z,176400\n")
        )
    }

    @Test("JSON holds the same for scripts, durations in seconds")
    func json() throws {
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(Self.report.json().utf8)) as? [String: Any]
        )
        #expect(object["since"] as? String == "2026-11-18T11:06:40Z")
        let alarms = try #require(object["alarms"] as? [[String: Any]])
        #expect(alarms.count == 3)
        let ack = try #require(alarms[0]["acknowledged"] as? [String: Any])
        #expect(ack["by"] as? String == "王老师")
        #expect(ack["after_s"] as? Double == 40)
        #expect(alarms[1]["acknowledged"] is NSNull)
        let summary = try #require(object["summary"] as? [String: Any])
        #expect(summary["worst_alarm"] as? String == "A-1")
        #expect((summary["by_kind"] as? [String: Any])?["gas_leak"] as? Int == 1)
        let offline = try #require(object["offline"] as? [[String: Any]])
        #expect(offline.first?["device"] as? String == "dev-2")
        #expect(offline.first?["still_offline"] as? Bool == true)
        let tickets = try #require(object["tickets"] as? [[String: Any]])
        #expect(tickets.first?["age_s"] as? Double == 176_400)
    }
}
