import CampusGuardConfig
import CampusGuardCore
import Testing

@Suite("Police link config")
struct PoliceLinkConfigTests {
    func load(_ text: String) throws(ConfigError) -> LoadedConfig {
        try ConfigLoader.load(text: text, file: "test.yaml", directory: RepositoryPaths.root + "/Config")
    }

    func diagnostics(_ text: String) -> [String] {
        do {
            _ = try load(text)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    /// Two buildings, three devices; `link`, `groupA` and `zone2` are spliced in.
    func config(
        link: String = "police_link: {host: 127.0.0.1, port: 12128, account: \"1234\"}",
        groupA: String = "",
        groupB: String = "",
        zone2: String = ""
    ) -> String {
        """
        site: {id: s, name: S}
        locations:
          - {id: dorm-a, name: A, kind: dormitory\(groupA)}
          - {id: dorm-b, name: B, kind: dormitory\(groupB)}
        devices:
          - {id: a-1, profile: heiman-hs1sa, location: dorm-a/3/301, topic: z/a-1}
          - {id: a-2, profile: heiman-hs1sa, location: dorm-a/3/302, topic: z/a-2\(zone2)}
          - {id: b-1, profile: heiman-hs1eb, location: dorm-b/1/lobby, topic: z/b-1}
        \(link)
        """
    }

    @Test("the contract's police_link gets defaults for every new key")
    func defaults() throws {
        let link = try #require(try load(config()).config.policeLink)
        #expect(link.receiver == "R0")
        #expect(link.prefix == "L0")
        #expect(link.backup == nil)
        #expect(link.keyFile == nil)
        #expect(link.ackTimeout == .seconds(2))
        #expect(link.supervisionInterval == .seconds(60))
        #expect(link.retries == 2)
        #expect(link.contactIDGroups.isEmpty && link.contactIDZones.isEmpty)
    }

    @Test("backup, key_file, timing and retries are read; a relative key_file is from the config's directory")
    func everyKey() throws {
        let text = config(
            link: """
                police_link:
                  host: 10.0.0.1
                  port: 12128
                  account: "ABC123"
                  receiver: R1
                  prefix: L2
                  backup: {host: 10.0.0.2, port: 12129}
                  key_file: police.key
                  ack_timeout: 2500ms
                  supervision_interval: 0s
                  retries: 5
                """
        )
        let link = try #require(try load(text).config.policeLink)
        #expect(link.backup == .init(host: "10.0.0.2", port: 12129))
        #expect(link.keyFile == RepositoryPaths.root + "/Config/police.key")
        #expect(link.ackTimeout == Interval(milliseconds: 2500))
        #expect(link.supervisionInterval == .zero)
        #expect(link.retries == 5)
        #expect(link.receiver == "R1" && link.prefix == "L2")
    }

    @Test("contact_id_group and contact_id_zone are kept as the overrides")
    func overrides() throws {
        let link = try #require(
            try load(config(groupB: ", contact_id_group: 12", zone2: ", contact_id_zone: 40")).config.policeLink
        )
        #expect(link.contactIDGroups == ["dorm-b": 12])
        #expect(link.contactIDZones == ["a-2": 40])
    }

    @Test("bad values are reported at their line and column")
    func badValues() {
        let text = config(
            link: """
                police_link:
                  host: 10.0.0.1
                  port: 12128
                  account: "1234"
                  backup: {host: 10.0.0.2}
                  ack_timeout: 50ms
                  supervision_interval: 500ms
                  retries: 11
                  colour: blue
                """
        )
        #expect(
            diagnostics(text) == [
                "test.yaml:13:11: police_link.backup.port is required",
                "test.yaml:14:16: police_link.ack_timeout must be from 100ms to 30s",
                "test.yaml:15:25: police_link.supervision_interval must be 0s (off) or from 1s to 24h",
                "test.yaml:16:12: police_link.retries must be a whole number from 0 to 10",
                "test.yaml:17:3: unknown key police_link.colour",
            ]
        )
    }

    @Test("a group out of range or used twice is refused where it is written")
    func badGroups() {
        #expect(
            diagnostics(config(groupB: ", contact_id_group: 100")) == [
                "test.yaml:4:62: locations[1].contact_id_group must be a whole number from 1 to 99"
            ]
        )
        #expect(
            diagnostics(config(groupB: ", contact_id_group: 1")) == [
                "test.yaml:4:62: Contact ID group 1 of location dorm-b is already the group of dorm-a (its position in locations)"
            ]
        )
        // The explicit one is blamed, even when the default comes later.
        #expect(
            diagnostics(config(groupA: ", contact_id_group: 2")) == [
                "test.yaml:3:62: Contact ID group 2 of location dorm-b is already the group of dorm-a (its contact_id_group)"
            ]
        )
    }

    @Test("a zone out of range or used twice in one building is refused; other buildings may reuse it")
    func badZones() throws {
        #expect(
            diagnostics(config(zone2: ", contact_id_zone: 0")) == [
                "test.yaml:7:93: devices[1].contact_id_zone must be a whole number from 1 to 999"
            ]
        )
        #expect(
            diagnostics(config(zone2: ", contact_id_zone: 1")) == [
                "test.yaml:7:93: Contact ID zone 1 of device a-2 is already the zone of a-1 in dorm-a (its position in dorm-a)"
            ]
        )
        _ = try load(config(zone2: ", contact_id_zone: 999"))
    }

    @Test("Contact ID numbers without a police_link are refused rather than ignored")
    func withoutLink() {
        #expect(
            diagnostics(config(link: "", groupA: ", contact_id_group: 5")) == [
                "test.yaml:3:62: locations[0].contact_id_group has no effect without a police_link section"
            ]
        )
    }
}
