import CampusGuardCore

extension DC09Frame {
    /// Decodes one message, with or without its `<LF>` and `<CR>`, checking its CRC and length;
    /// `key` decrypts an encrypted one.
    public static func decode(
        _ bytes: some Collection<UInt8>,
        key: DC09Key? = nil
    ) throws(PoliceLinkError)
        -> DC09Frame
    {
        var b = Array(bytes)[...]
        if b.first == ASCII.lf { b = b.dropFirst() }
        if b.last == ASCII.cr { b = b.dropLast() }
        guard b.count > 8, let crc = hexValue(b.prefix(4)), let length = hexValue(b.dropFirst(4).prefix(4)) else {
            throw PoliceLinkError(.malformed, "not a DC-09 message: \(preview(b))")
        }
        let body = Array(b.dropFirst(8))
        guard length == body.count else {
            throw PoliceLinkError(.malformed, "the length field says \(length) bytes, the message has \(body.count)")
        }
        let computed = DC09CRC.checksum(body)
        guard computed == crc else {
            throw PoliceLinkError(.malformed, "CRC mismatch: the message says \(crc), its bytes give \(computed)")
        }
        return try parse(body: body, key: key)
    }

    private static func parse(body: [UInt8], key: DC09Key?) throws(PoliceLinkError) -> DC09Frame {
        guard body.first == ASCII.quote else { throw PoliceLinkError(.malformed, "no \" before the message id") }
        var i = 1
        let encrypted = body.count > 1 && body[1] == ASCII.star
        if encrypted { i += 1 }
        guard let close = body[i...].firstIndex(of: ASCII.quote), close > i else {
            throw PoliceLinkError(.malformed, "no message id between quotes")
        }
        let id = String(decoding: body[i..<close], as: UTF8.self)
        i = close + 1
        guard i + 4 <= body.count, let sequence = decimal(body[i..<i + 4]) else {
            throw PoliceLinkError(.malformed, "\(id): no 4-digit sequence number")
        }
        i += 4
        var receiver: String? = nil
        var prefix: String? = nil
        var account: String? = nil
        while i < body.count && body[i] != ASCII.open {
            let letter = body[i]
            var j = i + 1
            while j < body.count, Hex.nibble(body[j]) != nil { j += 1 }
            let run = String(decoding: body[(i + 1)..<j], as: UTF8.self)
            switch letter {
            case UInt8(ascii: "R"): receiver = "R" + run
            case UInt8(ascii: "L"): prefix = "L" + run
            case UInt8(ascii: "#"): account = run
            default: break  // pysiaalarm's NAK carries an "A0" here; nothing to keep
            }
            i = j
        }
        guard i < body.count else { throw PoliceLinkError(.malformed, "\(id): no [ before the data") }
        var rest = Array(body[(i + 1)...])
        if encrypted {
            guard let key else {
                throw PoliceLinkError(.malformed, "an encrypted \(id) message, but this link has no key")
            }
            guard rest.count % 2 == 0, let cipher = Hex.bytes(rest) else {
                throw PoliceLinkError(.malformed, "\(id): the encrypted part is not hexadecimal")
            }
            rest = withoutPad(try key.decrypt(cipher))
        }
        guard let end = rest.firstIndex(of: ASCII.close) else {
            throw PoliceLinkError(
                .malformed,
                encrypted ? "\(id): no ] after decrypting (a different key?)" : "\(id): no ] after the data"
            )
        }
        let data = String(decoding: rest[..<end], as: UTF8.self)
        var k = end + 1
        // Extended data fields `[x…]` may follow; the link does not use them.
        while k < rest.count && rest[k] == ASCII.open {
            guard let e = rest[k...].firstIndex(of: ASCII.close) else {
                throw PoliceLinkError(.malformed, "\(id): an extended data field without ]")
            }
            k = e + 1
        }
        var timestamp: Instant? = nil
        if k < rest.count {
            let text = String(decoding: rest[k...], as: UTF8.self)
            guard let t = DC09Timestamp.parse(text[...]) else {
                throw PoliceLinkError(.malformed, "\(id): \"\(text)\" is not a timestamp _HH:MM:SS,MM-DD-YYYY")
            }
            timestamp = t
        }
        return DC09Frame(
            id: id,
            sequence: sequence,
            receiver: receiver,
            prefix: prefix,
            account: account,
            data: data,
            timestamp: timestamp,
            encrypted: encrypted
        )
    }

    /// The decrypted region without its pad. DC-09 ends the pad with `|`; pysiaalarm pads its
    /// encrypted replies with `0`s and no `|` (their data is empty then).
    private static func withoutPad(_ clear: [UInt8]) -> [UInt8] {
        let close = clear.firstIndex(of: ASCII.close) ?? clear.count
        if let bar = clear[..<close].firstIndex(of: ASCII.bar) { return Array(clear[(bar + 1)...]) }
        return Array(clear[close...])
    }

    private static func hexValue(_ digits: ArraySlice<UInt8>) -> Int? {
        guard digits.count == 4 else { return nil }
        var v = 0
        for d in digits {
            guard let n = Hex.nibble(d) else { return nil }
            v = v << 4 | Int(n)
        }
        return v
    }

    private static func decimal(_ digits: ArraySlice<UInt8>) -> Int? {
        var v = 0
        for d in digits {
            guard (0x30...0x39).contains(d) else { return nil }
            v = v * 10 + Int(d - 0x30)
        }
        return v
    }

    static func preview(_ bytes: some Collection<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(60), as: UTF8.self)
        return "\"" + text.replacing("\n", with: "\\n").replacing("\r", with: "\\r") + "\""
    }
}

/// The bytes DC-09 gives meaning to.
enum ASCII {
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let quote: UInt8 = 0x22
    static let star: UInt8 = 0x2A
    static let open: UInt8 = 0x5B
    static let close: UInt8 = 0x5D
    static let bar: UInt8 = 0x7C
}
