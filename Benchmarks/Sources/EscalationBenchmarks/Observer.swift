// What the gateway's output closure sees: the engine's events (after their commit) and the
// delivery service's (after theirs), each stamped with CLOCK_MONOTONIC when handed over.

import CampusGuardCore

/// When each panic alarm reached each stage, by button.
final class EscalationObserver: Sendable {
    struct Stamps {
        /// `alarm.raised` handed to the outputs (the engine's events committed).
        var raised: UInt64?
        /// `delivery.planned` for the webhook and for the police link (the outbox rows and the
        /// planned events committed).
        var webhookPlanned: UInt64?
        var policePlanned: UInt64?
        /// `delivery.sent`: the sink's HTTP answer or the receiver's ACK in hand, the outbox row
        /// updated and the event committed.
        var webhookSent: UInt64?
        var policeSent: UInt64?
    }

    struct State {
        var stamps: [String: Stamps] = [:]
        /// The button of each alarm id.
        var buttons: [String: String] = [:]
        var events = 0
        var failures: [String] = []
        /// Alarms that were not panics (none are expected from routine readings).
        var otherAlarms: [String] = []
    }

    private let state = Locked(State())
    private let channel: String

    init(channel: String) { self.channel = channel }

    /// The gateway's output closure: stamps first, then looks.
    func observe(_ events: [Event]) {
        let now = monotonicNanoseconds()
        state.withLock { s in
            s.events += events.count
            for e in events {
                switch e.type {
                case .alarmRaised where e.kind == .panic:
                    guard let alarm = e.alarm, let button = e.devices.first else { continue }
                    s.buttons[alarm] = button
                    if s.stamps[button]?.raised == nil { s.stamps[button, default: Stamps()].raised = now }
                case .alarmRaised, .faultRaised:
                    s.otherAlarms.append("\(e.type.rawValue) \(e.kind.rawValue) \(e.devices.joined(separator: ","))")
                case .deliveryPlanned, .deliverySent:
                    guard let alarm = e.alarm, let button = s.buttons[alarm] else { continue }
                    let police = e.channel == "police"
                    guard police || e.channel == channel else { continue }
                    var t = s.stamps[button, default: Stamps()]
                    if e.type == .deliveryPlanned {
                        if police {
                            t.policePlanned = t.policePlanned ?? now
                        } else {
                            t.webhookPlanned = t.webhookPlanned ?? now
                        }
                    } else {
                        if police { t.policeSent = t.policeSent ?? now } else { t.webhookSent = t.webhookSent ?? now }
                    }
                    s.stamps[button] = t
                case .deliveryFailed:
                    s.failures.append("\(e.channel ?? "?"): \(e.reason ?? "")")
                default:
                    break
                }
            }
        }
    }

    func stamps(_ button: String) -> Stamps? { state.withLock { $0.stamps[button] } }
    var snapshot: State { state.withLock { $0 } }

    /// Whether every button of `buttons` has both deliveries sent.
    func allSent(_ buttons: [String]) -> Bool {
        state.withLock { s in
            buttons.allSatisfy { s.stamps[$0]?.webhookSent != nil && s.stamps[$0]?.policeSent != nil }
        }
    }
}
