import CampusGuardCore
import Testing

@testable import CampusGuardDelivery

@Suite("DC-09 replies")
struct DC09ReplyTests {
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test("pysiaalarm's ACK, with the sequence echoed and no timestamp")
    func ack() throws {
        #expect(try DC09Reply.decode(Self.bytes("\n04060014\"ACK\"0009R0L0#1234[]\r")) == .ack(sequence: 9))
    }

    @Test("pysiaalarm's NAK carries the receiver's time")
    func nak() throws {
        let t = Instant(millisecondsSinceEpoch: 1_706_702_405_000)  // 12:00:05, 01-31-2024
        #expect(
            try DC09Reply.decode(Self.bytes("\nEEC60025\"NAK\"0000R0L0A0[]_12:00:05,01-31-2024\r"))
                == .nak(receiverTime: t)
        )
        // Its NAK to a message it could not parse has receiver and line the other way round.
        #expect(
            try DC09Reply.decode(Self.bytes("\nEEB80025\"NAK\"0000L0R0A0[]_12:00:05,01-31-2024\r"))
                == .nak(receiverTime: t)
        )
    }

    @Test("a bare \"NAK\" (unknown account) is a NAK without a time")
    func bareNAK() throws {
        #expect(try DC09Reply.decode(Self.bytes("\"NAK\"")) == .nak(receiverTime: nil))
    }

    @Test("a DUH carries the sequence it cannot process")
    func duh() throws {
        #expect(try DC09Reply.decode(Self.bytes("\n74DE0014\"DUH\"0009R0L0#1234[]\r")) == .duh(sequence: 9))
    }

    @Test("pysiaalarm's encrypted ACK (zero pad, no |) decrypts with the link's key")
    func encryptedACK() throws {
        let key = try DC09Key(hex: DC09EncryptionTests.key128)
        let wire = "\n8A060054\"*ACK\"0007R0L0#1234[FDCE434358276C8338D6F0A710B57485E9FD03A241DA0D5E8557F15EA41ED4F3\r"
        #expect(try DC09Reply.decode(Self.bytes(wire), key: key) == .ack(sequence: 7))
        let frame = try DC09Frame.decode(Self.bytes(wire), key: key)
        #expect(frame.timestamp == Instant(millisecondsSinceEpoch: 1_706_702_405_000))
        #expect(frame.data == "")
    }

    @Test("a message that is not a reply, or is damaged, is refused")
    func notAReply() throws {
        let event = try DC09Frame(
            id: "ADM-CID",
            sequence: 1,
            account: "1234",
            data: "#1234|1120 01 003",
            timestamp: nil
        )
        .encoded()
        #expect(throws: PoliceLinkError.self) { try DC09Reply.decode(event) }
        #expect(throws: PoliceLinkError.self) { try DC09Reply.decode(Self.bytes("\n04070014\"ACK\"0009R0L0#1234[]\r")) }
        #expect(throws: PoliceLinkError.self) { try DC09Reply.decode(Self.bytes("\"ACK\"")) }
    }

    @Test("the reply buffer cuts replies out of what TCP delivers, skipping empty answers and noise")
    func buffer() {
        var b = DC09ReplyBuffer()
        b.append(Self.bytes("\n\r\n0406"))
        #expect(b.next() == nil)
        b.append(Self.bytes("0014\"ACK\"0009R0L0#1234[]\r\n74DE0014\"DUH\"0009R0L0#1234[]\rjunk\"NAK\""))
        #expect(b.next() == Self.bytes("\n04060014\"ACK\"0009R0L0#1234[]\r"))
        #expect(b.next() == Self.bytes("\n74DE0014\"DUH\"0009R0L0#1234[]\r"))
        #expect(b.next() == Self.bytes("\"NAK\""))
        #expect(b.next() == nil)
        #expect(b.isEmpty)
    }
}
