import CampusGuardCore

/// One SIA DC-09 message: `<LF>CRC0LLL"ID"SSSSRrcvrLpref#ACCT[data]_HH:MM:SS,MM-DD-YYYY<CR>`.
///
/// CRC is CRC-16/ARC and LLL the length, both over the text from the first `"` to the end of
/// the timestamp. With a key, the ID gets a leading `*` and everything after `[` (a pad, `|`,
/// the data, `]` and the timestamp) is AES-CBC encrypted and written as upper-case hex.
public struct DC09Frame: Sendable, Hashable {
    /// The message token: `ADM-CID`, `NULL`, `SIA-DCS`; in replies `ACK`, `NAK`, `DUH`.
    public var id: String
    /// 0001–9999 for messages (echoed by the receiver); 0000 in a NAK.
    public var sequence: Int
    /// `R` and 1–6 hex digits, or nil when absent.
    public var receiver: String?
    /// `L` and 1–6 hex digits, or nil when absent.
    public var prefix: String?
    /// The account, without `#`, or nil when absent.
    public var account: String?
    /// What stands between `[` and `]`, e.g. `#1234|1120 01 003`; empty for NULL and replies.
    public var data: String
    /// Nil when the message has no timestamp (pysiaalarm's ACK has none).
    public var timestamp: Instant?
    /// Whether the message was (when decoded) or is to be (when encoded with a key) encrypted.
    public var encrypted: Bool

    public init(
        id: String,
        sequence: Int,
        receiver: String? = "R0",
        prefix: String? = "L0",
        account: String?,
        data: String,
        timestamp: Instant?,
        encrypted: Bool = false
    ) {
        self.id = id
        self.sequence = sequence
        self.receiver = receiver
        self.prefix = prefix
        self.account = account
        self.data = data
        self.timestamp = timestamp
        self.encrypted = encrypted
    }

    /// The message token of Contact ID events.
    public static let contactID = "ADM-CID"
    /// The message token of link tests (supervision).
    public static let null = "NULL"

    // MARK: - Encoding

    /// The bytes on the wire, from `<LF>` to `<CR>`; encrypted when `key` is given. `padding`
    /// draws the pad of an encrypted message.
    public func encoded(
        key: DC09Key? = nil,
        padding: inout some RandomNumberGenerator
    ) throws(PoliceLinkError)
        -> [UInt8]
    {
        var body: [UInt8] = []
        body.reserveCapacity(96)
        body.append(0x22)
        if key != nil { body.append(0x2A) }
        body.append(contentsOf: id.utf8)
        body.append(0x22)
        body.append(contentsOf: Self.fourDigits(sequence).utf8)
        if let receiver { body.append(contentsOf: receiver.utf8) }
        if let prefix { body.append(contentsOf: prefix.utf8) }
        if let account {
            body.append(0x23)
            body.append(contentsOf: account.utf8)
        }
        body.append(0x5B)
        let stamp = timestamp.map(DC09Timestamp.format) ?? ""
        if let key {
            // The pad makes the encrypted region (pad, `|`, data, `]`, timestamp) a multiple of
            // 16 bytes; a region that already is one gets a whole block of pad.
            let clear = Array("|\(data)]\(stamp)".utf8)
            let pad = (0..<(16 - clear.count % 16)).map { _ in Self.padCharacter(&padding) }
            let cipher = try key.encrypt(pad + clear)
            body.append(contentsOf: Self.hex(cipher))
        } else {
            body.append(contentsOf: data.utf8)
            body.append(0x5D)
            body.append(contentsOf: stamp.utf8)
        }
        guard body.count <= 0xFFF else {
            throw PoliceLinkError(.malformed, "a DC-09 message is at most 4095 bytes; this one is \(body.count)")
        }
        var frame: [UInt8] = [0x0A]
        frame.reserveCapacity(body.count + 10)
        frame.append(contentsOf: Self.hex16(DC09CRC.checksum(body)))
        frame.append(contentsOf: Self.hex16(UInt16(body.count)))
        frame.append(contentsOf: body)
        frame.append(0x0D)
        return frame
    }

    /// The bytes on the wire, with the system's random generator for the pad.
    public func encoded(key: DC09Key? = nil) throws(PoliceLinkError) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return try encoded(key: key, padding: &rng)
    }

    /// A printable ASCII character other than `|`, `[` and `]` (DC-09 5.4.4.2 allows any byte
    /// but those; printable ones keep receivers that decode the text as ASCII happy).
    static func padCharacter(_ rng: inout some RandomNumberGenerator) -> UInt8 {
        padAlphabet[Int(rng.next() % UInt64(padAlphabet.count))]
    }

    private static let padAlphabet: [UInt8] = (0x21...0x7E).filter { $0 != 0x7C && $0 != 0x5B && $0 != 0x5D }

    static func fourDigits(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 4 ? s : String(repeating: "0", count: 4 - s.count) + s
    }

    static func hex(_ bytes: [UInt8]) -> [UInt8] { Hex.digits(bytes, uppercase: true) }

    static func hex16(_ v: UInt16) -> [UInt8] { Hex.digits([UInt8(v >> 8), UInt8(v & 0xFF)], uppercase: true) }
}
