import EvoformCore
import Foundation
import Testing

@Suite("SHA-256 against the NIST vectors")
struct SHA256Tests {
    @Test("the NIST example messages", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func nistVector(message: String, expected: String) {
        #expect(SHA256.hexDigest(message) == expected)
        #expect(SHA256.hexDigest(Array(message.utf8)) == expected)
        #expect(SHA256.hexDigest(Data(message.utf8)) == expected)
    }

    @Test("one million 'a'")
    func oneMillionA() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hexDigest(message) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("streaming in uneven pieces gives the one-shot digest")
    func streamingMatchesOneShot() {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for pieceSize in [1, 3, 55, 56, 63, 64, 65, 128, 999] {
            var hasher = SHA256.Hasher()
            var index = 0
            while index < message.count {
                let end = min(index + pieceSize, message.count)
                hasher.update(message[index..<end])
                index = end
            }
            #expect(hasher.finalize() == SHA256.hash(message), "piece size \(pieceSize)")
        }
    }

    @Test("non-contiguous sequences hash like arrays")
    func nonContiguousSequence() {
        let lazy = (0..<200).lazy.map { UInt8($0) }
        #expect(SHA256.hash(lazy) == SHA256.hash((0..<200).map { UInt8($0) }))
    }

    @Test("padding boundaries: 55, 56 and 64 bytes")
    func paddingBoundaries() {
        // Reference values from Python's hashlib.
        #expect(
            SHA256.hexDigest(String(repeating: "a", count: 55))
                == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(
            SHA256.hexDigest(String(repeating: "a", count: 56))
                == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        #expect(
            SHA256.hexDigest(String(repeating: "a", count: 64))
                == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    @Test("hex round trip")
    func hexRoundTrip() {
        let bytes: [UInt8] = [0x00, 0x0f, 0xa5, 0xff]
        #expect(Hex.string(bytes) == "000fa5ff")
        #expect(Hex.bytes("000FA5ff") == bytes)
        #expect(Hex.bytes("abc") == nil)
        #expect(Hex.bytes("zz") == nil)
    }
}
