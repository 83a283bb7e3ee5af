import CampusGuardCore
import CampusGuardDelivery
import Testing

@Suite("Staff notices from events")
struct StaffNoticeTests {
    @Test("names are resolved from the campus: building, floor, room, camera, device names")
    func resolves() {
        let notice = NoticeFixtures.notice()
        #expect(
            notice.place
                == NoticePlace(
                    buildingID: "dorm-a",
                    buildingName: "学生宿舍A栋",
                    floor: "3",
                    room: "301",
                    cameraURL: "rtsp://127.0.0.1:8554/dorm-a"
                )
        )
        #expect(
            notice.devices == [
                NoticeDevice(id: "dorm-a-301-smoke-1", name: "301烟感1"), NoticeDevice(id: "dorm-a-301-smoke-2"),
            ]
        )
        #expect(notice.site.name == "示范学校")
        #expect(notice.deliveryID == "d-42")
        #expect(notice.marking == .live)
    }

    @Test("a test event is marked test unless the caller says drill")
    func marking() {
        #expect(NoticeFixtures.notice(NoticeFixtures.fire(test: true)).marking == .test)
        #expect(NoticeFixtures.notice(NoticeFixtures.fire(test: true), marking: .drill).marking == .drill)
    }

    @Test("a location of a building only, of the site, or of an unknown building resolves as far as it can")
    func partial() {
        let config = NoticeFixtures.campus.config
        #expect(
            NoticePlace(location: "kitchen", config: config) == NoticePlace(buildingID: "kitchen", buildingName: "食堂后厨")
        )
        #expect(NoticePlace(location: "demo-school", config: config) == NoticePlace())
        #expect(NoticePlace(location: "gone/1/2", config: config) == NoticePlace())
        #expect(NoticePlace(location: "", config: config) == NoticePlace())
    }

    @Test("a device the campus does not know keeps its id without a name")
    func unknownDevice() {
        var event = NoticeFixtures.gas()
        event.devices = ["kitchen-gas-1", "removed-device"]
        #expect(NoticeFixtures.notice(event).devices.last == NoticeDevice(id: "removed-device"))
    }
}
