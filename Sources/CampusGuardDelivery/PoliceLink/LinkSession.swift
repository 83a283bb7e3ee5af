import CampusGuardCore

/// What the link thread keeps between messages: connections, sequence, the receiver clock's
/// offset learned from NAKs, and when each receiver was last heard. Link thread only.
final class LinkSession {
    var connections: [PoliceLinkReceiver.Role: ReceiverConnection] = [:]
    var sequence = DC09Sequence()
    /// Receiver time minus our time, from the last NAK that carried the receiver's time.
    var clockOffset = Interval.zero
    /// The receiver tried first: the one that acknowledged last.
    var current = PoliceLinkReceiver.Role.primary
    /// When each receiver was last sent something (acknowledged or not): supervision's clock.
    var lastContact: [PoliceLinkReceiver.Role: ContinuousClock.Instant] = [:]

    func closeAll() {
        for c in connections.values { c.close() }
    }
}
