import CampusGuardCore
import Yams

/// The `police_link` section, and the Contact ID addresses of locations (`contact_id_group`)
/// and devices (`contact_id_zone`) that go with it; see docs/police-link.md.
extension SiteReader {
    func readPoliceLink(_ r: inout MappingReader) -> SiteConfig.PoliceLink? {
        var link: SiteConfig.PoliceLink? = nil
        if var p = r.mapping("police_link") {
            link = readLinkSection(&p)
            p.finish()
        }
        let groups = readGroups(&r, linked: link != nil)
        let zones = readZones(&r, linked: link != nil)
        link?.contactIDGroups = groups
        link?.contactIDZones = zones
        return link
    }

    private func readLinkSection(_ p: inout MappingReader) -> SiteConfig.PoliceLink? {
        let host = p.string("host", required: true)
        let port = p.int("port", in: 1...65535, required: true)
        let account = p.string("account", required: true)
        let receiver = p.string("receiver") ?? "R0"
        let prefix = p.string("prefix") ?? "L0"
        // SIA DC-09: account 3–16 hex digits; receiver R and line prefix L with 1–6 hex digits.
        if let account, !(3...16).contains(account.count) || !account.allSatisfy(\.isHexDigit) {
            p.report(p.value("account"), "police_link.account must be 3 to 16 hexadecimal digits")
        }
        if !Self.isPrefixed(receiver, "R") {
            p.report(p.value("receiver"), "police_link.receiver must be R followed by 1 to 6 hexadecimal digits")
        }
        if !Self.isPrefixed(prefix, "L") {
            p.report(p.value("prefix"), "police_link.prefix must be L followed by 1 to 6 hexadecimal digits")
        }
        var backup: SiteConfig.PoliceLink.Endpoint? = nil
        if var b = p.mapping("backup") {
            let host = b.string("host", required: true)
            let port = b.int("port", in: 1...65535, required: true)
            b.finish()
            if let host, let port { backup = .init(host: host, port: port) }
        }
        let keyFile = p.string("key_file").map { $0.hasPrefix("/") ? $0 : directory + "/" + $0 }
        var link = SiteConfig.PoliceLink(host: host ?? "", port: port ?? 0, account: account ?? "")
        if let t = p.duration("ack_timeout") {
            if t < Interval(milliseconds: 100) || t > .seconds(30) {
                p.report(p.value("ack_timeout"), "police_link.ack_timeout must be from 100ms to 30s")
            }
            link.ackTimeout = t
        }
        if let s = p.duration("supervision_interval") {
            if s != .zero && (s < .seconds(1) || s > .hours(24)) {
                p.report(
                    p.value("supervision_interval"),
                    "police_link.supervision_interval must be 0s (off) or from 1s to 24h"
                )
            }
            link.supervisionInterval = s
        }
        link.retries = p.int("retries", in: 0...10) ?? link.retries
        guard host != nil, port != nil, account != nil else { return nil }
        link.receiver = receiver
        link.prefix = prefix
        link.backup = backup
        link.keyFile = keyFile
        return link
    }

    /// `contact_id_group` of each location: 1–99, no two buildings with the same group (a
    /// building without one has its position in `locations`).
    private func readGroups(_ r: inout MappingReader, linked: Bool) -> [String: Int] {
        var overrides: [String: Int] = [:]
        var holders: [Int: (id: String, node: Node?)] = [:]
        for (i, node) in (r.value("locations")?.sequence.map(Array.init) ?? []).enumerated() {
            guard node.mapping != nil, var l = MappingReader(node, file: r.file, path: "locations[\(i)]", log: r.log),
                let id = l.value("id")?.scalar?.string
            else { continue }
            let explicitNode = l.value("contact_id_group")
            let explicit = explicitNode == nil ? nil : l.int("contact_id_group", in: 1...99)
            if explicitNode != nil && !linked {
                l.report(explicitNode, "locations[\(i)].contact_id_group has no effect without a police_link section")
            }
            if explicitNode != nil && explicit == nil { continue }
            if let explicit { overrides[id] = explicit }
            let group = explicit ?? i + 1
            if explicit == nil && group > 99 {
                l.report(node, "locations[\(i)] is location number \(group): give it a contact_id_group from 1 to 99")
                continue
            }
            if let other = holders[group] {
                let how = other.node == nil ? "its position in locations" : "its contact_id_group"
                l.report(
                    explicitNode ?? other.node ?? node,
                    "Contact ID group \(group) of location \(id) is already the group of \(other.id) (\(how))"
                )
            } else {
                holders[group] = (id, explicitNode)
            }
        }
        return overrides
    }

    /// `contact_id_zone` of each device: 1–999, no two devices of one building with the same
    /// zone (a device without one has its position among its building's devices).
    private func readZones(_ r: inout MappingReader, linked: Bool) -> [String: Int] {
        var overrides: [String: Int] = [:]
        var positions: [String: Int] = [:]
        var holders: [String: [Int: (id: String, node: Node?)]] = [:]
        for (i, node) in (r.value("devices")?.sequence.map(Array.init) ?? []).enumerated() {
            guard node.mapping != nil, var d = MappingReader(node, file: r.file, path: "devices[\(i)]", log: r.log),
                let id = d.value("id")?.scalar?.string,
                let location = d.value("location")?.scalar?.string, let building = LocationPath(location)?.building
            else { continue }
            let position = (positions[building] ?? 0) + 1
            positions[building] = position
            let explicitNode = d.value("contact_id_zone")
            let explicit = explicitNode == nil ? nil : d.int("contact_id_zone", in: 1...999)
            if explicitNode != nil && !linked {
                d.report(explicitNode, "devices[\(i)].contact_id_zone has no effect without a police_link section")
            }
            if explicitNode != nil && explicit == nil { continue }
            if let explicit { overrides[id] = explicit }
            let zone = explicit ?? position
            if explicit == nil && zone > 999 {
                d.report(
                    node,
                    "devices[\(i)] is device number \(zone) of \(building): give it a contact_id_zone from 1 to 999"
                )
                continue
            }
            if let other = holders[building]?[zone] {
                let how = other.node == nil ? "its position in \(building)" : "its contact_id_zone"
                d.report(
                    explicitNode ?? other.node ?? node,
                    "Contact ID zone \(zone) of device \(id) is already the zone of \(other.id) in \(building) (\(how))"
                )
            } else {
                holders[building, default: [:]][zone] = (id, explicitNode)
            }
        }
        return overrides
    }
}
