import CampusGuardCore
import Crypto
import Foundation
import _CryptoExtras

/// The AES key of an encrypted DC-09 link (AES-CBC, IV 0, 128, 192 or 256 bits).
///
/// It is given as hexadecimal (32, 48 or 64 digits) in a file read at start. Its description
/// names only its size, so that it never ends up in a log line.
public struct DC09Key: Sendable, CustomStringConvertible, CustomReflectable {
    // The raw bytes, not a SymmetricKey: swift-crypto's key type is not Sendable here.
    private let bytes: [UInt8]

    /// From hexadecimal digits; surrounding whitespace (a trailing newline) is ignored.
    public init(hex: String) throws(PoliceLinkError) {
        let digits = Array(hex.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard [32, 48, 64].contains(digits.count) else {
            throw PoliceLinkError(
                .configuration,
                "the police link key must be 32, 48 or 64 hexadecimal digits (AES-128, -192 or -256); it has \(digits.count) characters"
            )
        }
        guard let bytes = Hex.bytes(digits) else {
            throw PoliceLinkError(.configuration, "the police link key must hold only hexadecimal digits")
        }
        self.bytes = bytes
    }

    /// Reads the key from a file, never echoing its content in an error.
    public init(file: String) throws(PoliceLinkError) {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw PoliceLinkError(.configuration, "cannot read the police link key file \(file)")
        }
        do {
            try self.init(hex: text)
        } catch {
            throw PoliceLinkError(.configuration, "\(file): \(error.message)")
        }
    }

    public var bitCount: Int { bytes.count * 8 }

    public var description: String { "AES-\(bitCount) key" }

    /// No children: `dump` and debuggers do not print the key either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// AES-CBC with IV 0 and no padding of its own: `plaintext` is already a multiple of 16 bytes.
    func encrypt(_ plaintext: [UInt8]) throws(PoliceLinkError) -> [UInt8] {
        do {
            return Array(
                try AES._CBC.encrypt(plaintext, using: SymmetricKey(data: bytes), iv: Self.zeroIV(), noPadding: true)
            )
        } catch {
            throw PoliceLinkError(.malformed, "cannot encrypt \(plaintext.count) bytes: \(error)")
        }
    }

    func decrypt(_ ciphertext: [UInt8]) throws(PoliceLinkError) -> [UInt8] {
        guard !ciphertext.isEmpty, ciphertext.count % 16 == 0 else {
            throw PoliceLinkError(.malformed, "the encrypted part is \(ciphertext.count) bytes, not a multiple of 16")
        }
        do {
            return Array(
                try AES._CBC.decrypt(ciphertext, using: SymmetricKey(data: bytes), iv: Self.zeroIV(), noPadding: true)
            )
        } catch {
            throw PoliceLinkError(.malformed, "cannot decrypt: \(error)")
        }
    }

    /// DC-09 fixes the IV at zero (`AES._CBC.IV()` would be random).
    private static func zeroIV() throws -> AES._CBC.IV { try AES._CBC.IV(ivBytes: [UInt8](repeating: 0, count: 16)) }
}
