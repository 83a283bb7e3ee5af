import CampusGuardCore

/// What a receiving centre answers to a message.
public enum DC09Reply: Sendable, Hashable {
    /// Received; carries the sequence number it acknowledges.
    case ack(sequence: Int)
    /// Rejected: the timestamp is outside the receiver's window (it sends its own time then),
    /// or the account is unknown (a bare `"NAK"`, no time).
    case nak(receiverTime: Instant?)
    /// The receiver cannot process the message; sending it again will not help.
    case duh(sequence: Int)

    /// Decodes one reply, framed (`<LF>CRC LEN "ACK"… <CR>`, possibly encrypted) or bare (`"NAK"`).
    public static func decode(
        _ bytes: some Collection<UInt8>,
        key: DC09Key? = nil
    ) throws(PoliceLinkError)
        -> DC09Reply
    {
        let text = bytes.filter { $0 != ASCII.lf && $0 != ASCII.cr }
        if text.elementsEqual("\"NAK\"".utf8) { return .nak(receiverTime: nil) }
        let frame = try DC09Frame.decode(bytes, key: key)
        switch frame.id {
        case "ACK": return .ack(sequence: frame.sequence)
        case "NAK": return .nak(receiverTime: frame.timestamp)
        case "DUH": return .duh(sequence: frame.sequence)
        default: throw PoliceLinkError(.malformed, "\(frame.id) is not a reply (ACK, NAK or DUH)")
        }
    }
}

/// Bytes read from a receiver, cut into replies: `<LF>…<CR>`, or a bare `"NAK"`.
struct DC09ReplyBuffer {
    private var bytes: [UInt8] = []

    mutating func append(_ chunk: some Collection<UInt8>) { bytes.append(contentsOf: chunk) }

    var isEmpty: Bool { bytes.isEmpty }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// The next complete reply; nil until one has arrived whole.
    mutating func next() -> [UInt8]? {
        while let first = bytes.first {
            switch first {
            case ASCII.lf:
                guard let cr = bytes.firstIndex(of: ASCII.cr) else { return nil }
                let reply = Array(bytes[...cr])
                bytes.removeFirst(cr + 1)
                // pysiaalarm answers a message with a bad CRC with a bare <LF><CR>: no reply at all.
                if reply.count > 2 { return reply }
            case ASCII.quote:
                let end = bytes.firstIndex(of: ASCII.lf) ?? bytes.count
                let reply = Array(bytes[..<end])
                bytes.removeFirst(end)
                return reply
            default:
                bytes.removeFirst()
            }
        }
        return nil
    }
}
