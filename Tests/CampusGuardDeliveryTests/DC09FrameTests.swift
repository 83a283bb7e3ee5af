import CampusGuardCore
import Testing

@testable import CampusGuardDelivery

@Suite("DC-09 frames")
struct DC09FrameTests {
    /// 2024-01-31T12:00:00Z.
    static let noon = Instant(millisecondsSinceEpoch: 1_706_702_400_000)

    static func wire(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test("CRC-16/ARC of \"123456789\" is the check value BB3D")
    func crcCheckValue() {
        #expect(DC09CRC.checksum(Array("123456789".utf8)) == 0xBB3D)
        #expect(DC09CRC.checksum([]) == 0)
    }

    @Test("an ADM-CID message is laid out byte for byte as DC-09 says")
    func contactIDLayout() throws {
        let frame = DC09Frame(
            id: DC09Frame.contactID,
            sequence: 42,
            account: "1234",
            data: "#1234|1120 01 003",
            timestamp: Self.noon
        )
        // CRC and length computed independently (Python, the pysiaalarm algorithm).
        #expect(
            Self.wire(try frame.encoded())
                == "\n943F003D\"ADM-CID\"0042R0L0#1234[#1234|1120 01 003]_12:00:00,01-31-2024\r"
        )
    }

    @Test("a NULL message with longer receiver, prefix and account fields")
    func nullLayout() throws {
        let frame = DC09Frame(
            id: DC09Frame.null,
            sequence: 1,
            receiver: "R12",
            prefix: "L3",
            account: "ABCDEF",
            data: "",
            timestamp: Instant(millisecondsSinceEpoch: 1_767_225_599_000)
        )
        #expect(Self.wire(try frame.encoded()) == "\n8BD2002C\"NULL\"0001R12L3#ABCDEF[]_23:59:59,12-31-2025\r")
    }

    @Test("timestamps are UTC, zero-padded, whole seconds, across leap days and centuries")
    func timestamps() {
        #expect(DC09Timestamp.format(Self.noon) == "_12:00:00,01-31-2024")
        #expect(DC09Timestamp.format(Instant(millisecondsSinceEpoch: 1_709_164_800_999)) == "_00:00:00,02-29-2024")
        #expect(DC09Timestamp.format(Instant(millisecondsSinceEpoch: 951_868_800_000)) == "_00:00:00,03-01-2000")
        #expect(DC09Timestamp.format(Instant(millisecondsSinceEpoch: -1000)) == "_23:59:59,12-31-1969")
        for ms: Int64 in [1_706_702_400_000, 1_709_164_800_000, 951_868_800_000, 1_767_225_599_000, 0] {
            let t = Instant(millisecondsSinceEpoch: ms)
            #expect(DC09Timestamp.parse(DC09Timestamp.format(t)[...]) == t)
        }
    }

    @Test("malformed timestamps are refused")
    func badTimestamps() {
        for text in ["_24:00:00,01-31-2024", "_12:00:00,13-01-2024", "_12:00,01-31-2024", "_1a:00:00,01-31-2024", ""] {
            #expect(DC09Timestamp.parse(text[...]) == nil, "\(text)")
        }
    }

    @Test("encoding then decoding gives the same message")
    func roundTrip() throws {
        let frame = DC09Frame(
            id: DC09Frame.contactID,
            sequence: 9999,
            account: "ABC123",
            data: "#ABC123|3151 04 002",
            timestamp: Self.noon
        )
        #expect(try DC09Frame.decode(try frame.encoded()) == frame)
    }

    @Test("a wrong CRC, a wrong length, garbage and a missing bracket are refused with a reason")
    func refusals() throws {
        let good = try DC09Frame(
            id: "ADM-CID",
            sequence: 1,
            account: "1234",
            data: "#1234|1120 01 003",
            timestamp: Self.noon
        )
        .encoded()
        var badCRC = good
        badCRC[1] = badCRC[1] == 0x30 ? 0x31 : 0x30
        var badLength = good
        badLength[8] = badLength[8] == 0x30 ? 0x31 : 0x30
        var flipped = good
        flipped[30] ^= 0x01
        for (bytes, words) in [
            (badCRC, "CRC"), (badLength, "length"), (flipped, "CRC"), (Array("hello".utf8), "not a DC-09"),
            (Array("\n00000000\r".utf8), "not a DC-09"),
        ] {
            #expect {
                try DC09Frame.decode(bytes)
            } throws: { error in
                (error as? PoliceLinkError)?.kind == .malformed && "\(error)".contains(words)
            }
        }
        let body = Array("\"ACK\"0001R0L0#1234".utf8)
        let noBracket = [0x0A] + DC09Frame.hex16(DC09CRC.checksum(body)) + DC09Frame.hex16(UInt16(body.count)) + body
        #expect(throws: PoliceLinkError.self) { try DC09Frame.decode(noBracket) }
    }

    @Test("sequence numbers run 0001 to 9999 and wrap to 0001")
    func sequenceWrap() {
        var s = DC09Sequence()
        #expect(s.next() == 1)
        #expect(s.next() == 2)
        var late = DC09Sequence(last: 9998)
        #expect(late.next() == 9999)
        #expect(late.next() == 1)
        #expect(DC09Frame.fourDigits(1) == "0001")
        #expect(DC09Frame.fourDigits(9999) == "9999")
    }
}
