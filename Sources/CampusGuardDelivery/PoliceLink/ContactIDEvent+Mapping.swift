import CampusGuardCore

extension ContactIDEvent {
    /// The Contact ID event code (EEE) of an alarm kind; docs/police-link.md has the table and
    /// the reasons for each choice.
    ///
    /// - `reason`: the engine's reason word (`rate_of_rise`, `comms_lost`, `bridge_offline`, …).
    /// - `channels`: the channels whose values led to it, for gas (162 carbon monoxide alone).
    /// - `wireless`: a radio (MQTT) device, whose low battery is 384 rather than 302.
    public static func code(kind: AlarmKind, reason: String?, channels: Set<ChannelKind>, wireless: Bool) -> Int {
        switch kind {
        case .fire: return 110
        case .smoke: return 111
        // Rate of rise is heat-detector logic (EN 54-5 class R): a fire signal. A static
        // temperature limit is a high-temperature warning, not a fire.
        case .overheat: return reason == "rate_of_rise" ? 114 : 158
        case .panic: return 120
        case .gasLeak: return channels.contains(.co) && !channels.contains(.gas) ? 162 : 151
        // Residual current or hot cables: a fault that may become a fire (GB 50116 clause 9
        // monitoring does not cut power). Fire trouble calls an electrician, not the fire brigade.
        case .electricalFireRisk: return 373
        case .tamper: return 137
        case .lowBattery: return wireless ? 384 : 302
        case .deviceFault:
            switch reason {
            case "silent", "unavailable", "comms_lost": return 381
            case "building_offline", "bridge_offline", "bus_offline": return 350
            default: return 380
            }
        }
    }

    /// Faults of a whole building, bridge or bus: one report per group with zone 000, not one per device.
    static func isGroupFault(kind: AlarmKind, reason: String?) -> Bool {
        guard kind == .deviceFault, let reason else { return false }
        return ["building_offline", "bridge_offline", "bus_offline"].contains(reason)
    }

    /// The new-event reports of an engine event, without memory of what was sent before:
    /// one per device (one per group for a fault of a building, bridge or bus).
    static func newEvents(for event: Event, addressing: ContactIDAddressing) -> [ContactIDEvent] {
        let fallbackGroup = addressing.group(building: LocationPath(event.location)?.building ?? event.location) ?? 0
        if event.devices.isEmpty || isGroupFault(kind: event.kind, reason: event.reason) {
            let code = code(kind: event.kind, reason: event.reason, channels: [], wireless: false)
            var groups = event.devices.compactMap { addressing.entry(device: $0)?.group }
            if groups.isEmpty { groups = [fallbackGroup] }
            var seen: Set<Int> = []
            return groups.filter { seen.insert($0).inserted }.map {
                ContactIDEvent(.new, code: code, group: $0, zone: 0)
            }
        }
        return event.devices.map { device in
            let entry = addressing.entry(device: device)
            let channels = Set(event.values.filter { $0.device == device }.map(\.channel.kind))
            let code = code(
                kind: event.kind,
                reason: event.reason,
                channels: channels,
                wireless: entry?.wireless ?? false
            )
            return ContactIDEvent(.new, code: code, group: entry?.group ?? fallbackGroup, zone: entry?.zone ?? 0)
        }
    }
}
