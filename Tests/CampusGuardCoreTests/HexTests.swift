import CampusGuardCore
import Testing

@Suite("Hex digits and bytes")
struct HexTests {
    @Test("bytes become two digits each, lower or upper case, and read back in either case")
    func roundTrip() {
        let bytes: [UInt8] = [0x00, 0x0F, 0xA5, 0xFF]
        #expect(Hex.string(bytes) == "000fa5ff")
        #expect(String(decoding: Hex.digits(bytes, uppercase: true), as: UTF8.self) == "000FA5FF")
        #expect(Hex.bytes("000fa5ff".utf8) == bytes)
        #expect(Hex.bytes("000FA5FF".utf8) == bytes)
        #expect(Hex.bytes("".utf8) == [])
    }

    @Test("an odd number of digits or a character that is not a digit gives nil")
    func bad() {
        #expect(Hex.bytes("abc".utf8) == nil)
        #expect(Hex.bytes("0g".utf8) == nil)
        #expect(Hex.bytes("0 ".utf8) == nil)
        #expect(Hex.nibble(UInt8(ascii: "G")) == nil)
        #expect(Hex.nibble(UInt8(ascii: "b")) == 11)
    }
}
