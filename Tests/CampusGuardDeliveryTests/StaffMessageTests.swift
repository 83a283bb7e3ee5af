import CampusGuardCore
import CampusGuardDelivery
import Testing

@Suite("Staff message text")
struct StaffMessageTests {
    func text(_ notice: StaffNotice, _ language: SiteConfig.DeliveryChannel.Language = .zh) -> String {
        StaffMessage(notice, language: language).plainText
    }

    @Test("a Chinese message says what, where (building, floor, room names), when (site time), how bad and what to do")
    func chinese() {
        let message = StaffMessage(NoticeFixtures.notice(NoticeFixtures.gas()), language: .zh)
        #expect(message.title == "燃气泄漏：食堂后厨 1层 stoves")
        let facts = Dictionary(message.facts.map { ($0.label, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(facts["地点"] == "食堂后厨 1层 stoves")
        #expect(facts["时间"] == "2026-11-21 06:00:05")
        #expect(facts["级别"] == "重要")
        #expect(facts["原因"] == "读数超过报警值")
        #expect(facts["设备"] == "灶台燃气探测器 (kitchen-gas-1)")
        #expect(facts["读数"] == "可燃气体：35 %LEL")
        #expect(message.advice?.contains("关闭燃气阀门") == true)
    }

    @Test("the kind's word, for every kind, in both languages", arguments: AlarmKind.allCases)
    func kindWords(kind: AlarmKind) {
        var event = NoticeFixtures.gas()
        event.kind = kind
        event.type = kind.isFault ? .faultRaised : .alarmRaised
        let zh = StaffMessage(NoticeFixtures.notice(event), language: .zh)
        let en = StaffMessage(NoticeFixtures.notice(event), language: .en)
        #expect(!zh.title.contains(kind.rawValue))
        #expect(!en.title.hasPrefix(kind.rawValue))
        #expect(zh.advice != nil && en.advice != nil)
    }

    @Test("plain words for the kinds staff see most")
    func words() {
        func title(_ kind: AlarmKind) -> String {
            var event = NoticeFixtures.gas()
            event.kind = kind
            event.type = .alarmRaised
            return StaffMessage(NoticeFixtures.notice(event), language: .zh).title
        }
        #expect(title(.fire).hasPrefix("火警："))
        #expect(title(.smoke).hasPrefix("疑似火情（单个烟感报警）："))
        #expect(title(.electricalFireRisk).hasPrefix("电气火灾隐患："))
        #expect(title(.overheat).hasPrefix("温度过高："))
        #expect(title(.panic).hasPrefix("一键报警："))
        #expect(title(.deviceFault).hasPrefix("设备故障："))
    }

    @Test("every event type and every reason the engine writes has words in both languages")
    func vocabulary() {
        let reasons = [
            "threshold", "device_alarm", "rate_of_rise", "press", "two_smoke_detectors", "smoke_and_heat",
            "gas_and_electrical", "not_acknowledged", "not_resolved_in_time", "device_joined", "condition_returned",
            "pressed_again", "silent", "unavailable", "comms_lost", "building_offline", "bridge_offline", "bus_offline",
        ]
        for language in SiteConfig.DeliveryChannel.Language.allCases {
            for type in EventType.allCases {
                var event = NoticeFixtures.gas()
                event.type = type
                #expect(!StaffMessage(NoticeFixtures.notice(event), language: language).title.contains("{"))
            }
            for reason in reasons {
                var event = NoticeFixtures.gas()
                event.reason = reason
                let why = StaffMessage(NoticeFixtures.notice(event), language: language).facts.first {
                    $0.label == (language == .zh ? "原因" : "Why")
                }
                #expect(why != nil && why?.value != reason, "reason \(reason) in \(language)")
            }
        }
    }

    @Test("tests and drills are marked in the title; live alarms are not")
    func marking() {
        #expect(text(NoticeFixtures.notice(NoticeFixtures.fire(test: true))).hasPrefix("【测试】火警"))
        #expect(text(NoticeFixtures.notice(marking: .drill)).hasPrefix("【演练】火警"))
        #expect(text(NoticeFixtures.notice(NoticeFixtures.fire(test: true)), .en).hasPrefix("[TEST] Fire"))
        #expect(text(NoticeFixtures.notice(marking: .drill), .en).hasPrefix("[DRILL] Fire"))
        #expect(text(NoticeFixtures.notice()).hasPrefix("火警"))
    }

    @Test("the acknowledge link is offered for open alarms, not once they are acknowledged or over")
    func acknowledge() {
        #expect(
            text(NoticeFixtures.notice()).hasSuffix(
                "点此确认收到：https://gw.school.lan/ack/20261120T220000Z-1?exp=1795215600&sig=ab"
            )
        )
        for type in [EventType.alarmAcknowledged, .alarmResolved, .alarmCleared] {
            #expect(!text(NoticeFixtures.notice(NoticeFixtures.fire(type: type))).contains("点此确认收到"))
        }
        #expect(!text(NoticeFixtures.notice(acknowledgeURL: nil)).contains("点此确认收到"))
    }

    @Test("a cleared fire still asks for someone to check and close it; who acknowledged is shown")
    func clearedAndAcknowledged() {
        let cleared = StaffMessage(NoticeFixtures.notice(NoticeFixtures.fire(type: .alarmCleared)), language: .zh)
        #expect(cleared.title.hasPrefix("火警（报警情况已消失）"))
        #expect(cleared.advice?.contains("仍需有人到场确认后关闭") == true)
        var event = NoticeFixtures.fire(type: .alarmAcknowledged)
        event.by = "王老师"
        event.note = "已到场"
        let acknowledged = text(NoticeFixtures.notice(event))
        #expect(acknowledged.contains("处理人：王老师"))
        #expect(acknowledged.contains("备注：已到场"))
    }

    @Test("the escalation tier is shown from the second round on")
    func tier() {
        #expect(!text(NoticeFixtures.notice()).contains("通知："))
        #expect(text(NoticeFixtures.notice(tier: 3)).contains("通知：第 3 轮"))
    }

    @Test("times are in the site's time zone; an unknown zone falls back to UTC")
    func timeZones() {
        #expect(StaffMessage.localTime(NoticeFixtures.at, timeZone: "Asia/Shanghai") == "2026-11-21 06:00:05")
        #expect(StaffMessage.localTime(NoticeFixtures.at, timeZone: "Europe/Berlin") == "2026-11-20 23:00:05")
        #expect(StaffMessage.localTime(NoticeFixtures.at, timeZone: "Nowhere/Atlantis") == "2026-11-20 22:00:05")
    }

    @Test("places: floors and rooms in words; a building alone; the site's name for the whole site")
    func places() {
        func place(_ location: String, _ language: SiteConfig.DeliveryChannel.Language) -> String {
            var event = NoticeFixtures.gas()
            event.location = location
            return StaffMessage.place(NoticeFixtures.notice(event), language: language)
        }
        #expect(place("dorm-a/3/301", .zh) == "学生宿舍A栋 3层 301室")
        #expect(place("dorm-a/B1/storage", .zh) == "学生宿舍A栋 B1层 storage")
        #expect(place("dorm-a", .zh) == "学生宿舍A栋")
        #expect(place("demo-school", .zh) == "示范学校")
        #expect(place("dorm-a/3/301", .en) == "学生宿舍A栋, floor 3, room 301")
        #expect(place("dorm-a/roof/tank", .en) == "学生宿舍A栋, roof, tank")
    }

    @Test("a building fault of many devices lists ten and counts the rest")
    func manyDevices() {
        var event = NoticeFixtures.gas()
        event.type = .faultRaised
        event.kind = .deviceFault
        event.devices = (1...25).map { "dorm-a-dev-\($0)" }
        event.values = []
        let devices = StaffMessage(NoticeFixtures.notice(event), language: .zh).facts.first { $0.label == "设备" }
        #expect(devices?.value.hasSuffix("dorm-a-dev-10等共 25 个") == true)
        #expect(devices?.value.contains("dorm-a-dev-11") == false)
    }

    @Test("readings: booleans in words, numbers with their unit, at most one decimal")
    func readings() {
        var event = NoticeFixtures.gas(12.345)
        event.values.append(
            EventValue(device: "kitchen-gas-1", channel: ChannelID(.residualCurrent, index: 3), value: .number(520))
        )
        event.values.append(EventValue(device: "kitchen-gas-1", channel: ChannelID(.button), value: .bool(true)))
        let readings = StaffMessage(NoticeFixtures.notice(event), language: .zh).facts.first { $0.label == "读数" }
        #expect(readings?.value == "可燃气体：12.3 %LEL、剩余电流 3：520 mA、报警按钮：已按下")
    }

    @Test("every message holds the keyword 地点 / Where, for robots secured by keywords")
    func keyword() {
        for type in EventType.allCases {
            var event = NoticeFixtures.gas()
            event.type = type
            let notice = NoticeFixtures.notice(event)
            #expect(StaffMessage(notice, language: .zh).markdown(heading: false).contains("地点"))
            #expect(StaffMessage(notice, language: .en).plainText.contains("Where"))
        }
    }
}
