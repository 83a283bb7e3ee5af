import CampusGuardCore
import Testing

@testable import CampusGuardDelivery

@Suite("DC-09 encryption")
struct DC09EncryptionTests {
    /// The text "0123456789ABCDEF" as key bytes: how pysiaalarm (and Ajax panels) take a key.
    static let key128 = "30313233343536373839414243444546"

    /// A generator that repeats one value: a pad that tests can predict.
    struct Fixed: RandomNumberGenerator {
        var value: UInt64
        mutating func next() -> UInt64 { value }
    }

    @Test("a message encrypted by another implementation (pycryptodome) decrypts, pad stripped")
    func knownAnswer() throws {
        let wire =
            "\n281D0078\"*ADM-CID\"0007R0L0#1234[AA9B899949511513B231B85A22D62DBBB8EA83E26E1ED7C0F0DAD14F1F38D84186B7A346D5CCE10212280FE329C7E4E6\r"
        let frame = try DC09Frame.decode(Array(wire.utf8), key: DC09Key(hex: Self.key128))
        #expect(frame.encrypted)
        #expect(frame.id == "ADM-CID")
        #expect(frame.sequence == 7)
        #expect(frame.account == "1234")
        #expect(frame.data == "#1234|1120 01 003")
        #expect(frame.timestamp == DC09FrameTests.noon)
    }

    @Test("the same plaintext encrypts to what pycryptodome gives, with AES-256 too")
    func knownCiphertext() throws {
        // The pad "ABCDEFGHI" (9 bytes) is what the vector used; the fixed generator cannot draw
        // it, so encrypt the plaintext directly.
        let plain = Array("ABCDEFGHI|#1234|1120 01 003]_12:00:00,01-31-2024".utf8)
        let hex128 = DC09Frame.hex(try DC09Key(hex: Self.key128).encrypt(plain))
        #expect(
            String(decoding: hex128, as: UTF8.self)
                == "AA9B899949511513B231B85A22D62DBBB8EA83E26E1ED7C0F0DAD14F1F38D84186B7A346D5CCE10212280FE329C7E4E6"
        )
        let key256 = try DC09Key(hex: "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F")
        #expect(
            String(decoding: DC09Frame.hex(try key256.encrypt(plain)), as: UTF8.self)
                == "17E9344C793C2A09DD2F8B7DAADE8D95CD5DE2B4649D7B44787709A30FBB1847918576464D465A1BB7137BDEDAABBDB8"
        )
    }

    @Test("encrypt then decrypt gives the message back, with 128, 192 and 256-bit keys")
    func roundTrip() throws {
        for digits in [32, 48, 64] {
            let key = try DC09Key(hex: String(repeating: "A1", count: digits / 2))
            #expect(key.bitCount == digits * 4)
            let frame = DC09Frame(
                id: DC09Frame.contactID,
                sequence: 12,
                account: "1234",
                data: "#1234|1151 03 002",
                timestamp: DC09FrameTests.noon
            )
            let wire = try frame.encoded(key: key)
            let text = String(decoding: wire, as: UTF8.self)
            #expect(text.contains("\"*ADM-CID\"0012R0L0#1234["))
            #expect(!text.contains("1151"))
            var decoded = try DC09Frame.decode(wire, key: key)
            #expect(decoded.encrypted)
            decoded.encrypted = false
            #expect(decoded == frame)
        }
    }

    @Test("the encrypted region is whole blocks of upper-case hex, the pad 1 to 16 characters without | [ ]")
    func padding() throws {
        let key = try DC09Key(hex: Self.key128)
        for dataLength in 0..<40 {
            let data = String(repeating: "9", count: dataLength)
            let frame = DC09Frame(id: "NULL", sequence: 1, account: "1234", data: data, timestamp: DC09FrameTests.noon)
            let wire = try frame.encoded(key: key)
            let hex = wire[(wire.firstIndex(of: 0x5B)! + 1)..<(wire.count - 1)]
            #expect(hex.count % 32 == 0)
            #expect(hex.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) })
            let clear = "|\(data)]_12:00:00,01-31-2024".utf8.count
            #expect(hex.count / 2 - clear >= 1 && hex.count / 2 - clear <= 16)
        }
        for value: UInt64 in [0, 1, 0x7C, 0x5B, 0x5D, .max] {
            var rng = Fixed(value: value)
            let c = DC09Frame.padCharacter(&rng)
            #expect(c != 0x7C && c != 0x5B && c != 0x5D && (0x21...0x7E).contains(c))
        }
    }

    @Test("a wrong key, a missing key and bad key text are refused")
    func refusals() throws {
        let frame = DC09Frame(id: "NULL", sequence: 1, account: "1234", data: "", timestamp: DC09FrameTests.noon)
        let wire = try frame.encoded(key: DC09Key(hex: Self.key128))
        #expect(throws: PoliceLinkError.self) { try DC09Frame.decode(wire) }
        #expect(throws: PoliceLinkError.self) {
            try DC09Frame.decode(wire, key: DC09Key(hex: String(repeating: "0", count: 32)))
        }
        for bad in ["", "0123", String(repeating: "G", count: 32), String(repeating: "0", count: 31)] {
            #expect(throws: PoliceLinkError.self) { try DC09Key(hex: bad) }
        }
        #expect(try DC09Key(hex: " \(Self.key128)\n").bitCount == 128)
    }

    @Test("a key describes itself by its size only, never its bytes")
    func keyNotPrinted() throws {
        let key = try DC09Key(hex: Self.key128)
        #expect("\(key)" == "AES-128 key")
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains("48"))  // 0x30 = 48, the first key byte
        #expect(String(reflecting: key) == "AES-128 key")
    }
}
