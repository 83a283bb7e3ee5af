import CampusGuardCore

/// One device as `GET /api/v1/devices` shows it: its config entry, profile, place, the
/// engine's latest snapshot of it and its Contact ID address.
struct DeviceView {
    var device: DeviceConfig
    var profile: DeviceProfile?
    var kind: DeviceKind
    var building: Building?
    /// Nil before the engine's first board (the daemon's first second).
    var snapshot: DeviceSnapshot?
    var status: DeviceStatus
    /// The open alarms and faults that list it, oldest first.
    var alarms: [Alarm]
    var contactID: ContactIDAddressing.Entry?

    var json: String {
        var w = JSONObjectWriter()
        w.string("id", device.id)
        w.raw("name", Self.quoted(device.name))
        w.string("kind", kind.rawValue)
        w.string("status", status.rawValue)
        w.bool("enabled", device.enabled)
        var p = JSONObjectWriter()
        p.string("id", device.profile)
        p.raw("vendor", Self.quoted(profile?.vendor))
        p.raw("model", Self.quoted(profile?.model))
        p.raw("description", Self.quoted(profile.map(\.description).flatMap { $0.isEmpty ? nil : $0 }))
        p.raw("transport", Self.quoted(profile?.transport.rawValue))
        w.raw("profile", p.finish())
        var l = JSONObjectWriter()
        l.string("path", device.location.description)
        l.string("building", device.location.building)
        l.raw("building_name", Self.quoted(building?.name))
        l.string("floor", device.location.floor)
        l.string("room", device.location.room)
        w.raw("location", l.finish())
        let values = (snapshot?.values ?? [:]).sorted { $0.key < $1.key }.map { channel, timed in
            var v = JSONObjectWriter()
            v.raw("value", JSONObjectWriter.encode(timed.value))
            v.raw("unit", Self.quoted(unit(channel)))
            v.string("at", RFC3339.format(timed.at))
            return JSONObjectWriter.quote(channel.description) + ":" + v.finish()
        }
        w.raw("values", "{" + values.joined(separator: ",") + "}")
        w.raw("battery", number(ChannelID(.battery)))
        w.raw("link_quality", number(ChannelID(.linkQuality)))
        w.raw("last_seen", Self.time(snapshot?.lastSeen))
        w.raw("offline_since", Self.time(snapshot?.offlineSince))
        w.raw("offline_reason", Self.quoted(snapshot?.offlineReason))
        w.raw("maintenance_until", Self.time(snapshot?.maintenanceUntil))
        let open = alarms.map { a in
            var o = JSONObjectWriter()
            o.string("id", a.id)
            o.string("kind", a.kind.rawValue)
            o.string("severity", a.severity.rawValue)
            o.bool("fault", a.kind.isFault || a.kind == .tamper)
            return o.finish()
        }
        w.raw("open_alarms", "[" + open.joined(separator: ",") + "]")
        if let c = contactID {
            var o = JSONObjectWriter()
            o.raw("group", String(c.group))
            o.raw("zone", String(c.zone))
            w.raw("contact_id", o.finish())
        } else {
            w.raw("contact_id", "null")
        }
        return w.finish()
    }

    /// The channel's unit: the profile's, else the vocabulary's; nil for none (a bool).
    func unit(_ channel: ChannelID) -> String? {
        if let u = profile?.channels[channel]?.unit, !u.isEmpty { return u }
        let u = channel.kind.unit
        return u.isEmpty ? nil : u
    }

    private func number(_ channel: ChannelID) -> String {
        guard case .number(let n)? = snapshot?.values[channel]?.value, n.isFinite else { return "null" }
        return JSONObjectWriter.encode(.number(n))
    }

    static func quoted(_ s: String?) -> String { s.map(JSONObjectWriter.quote) ?? "null" }

    static func time(_ i: Instant?) -> String { i.map { JSONObjectWriter.quote(RFC3339.format($0)) } ?? "null" }
}
