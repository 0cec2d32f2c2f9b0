import EvoformCore
import Testing

@Suite("HMAC-SHA256 against RFC 4231")
struct HMACSHA256Tests {
    struct Case: Sendable, CustomTestStringConvertible {
        var number: Int
        var key: [UInt8]
        var data: [UInt8]
        var expected: String
        /// Case 5 compares only the first 128 bits.
        var truncatedToBytes: Int? = nil
        var testDescription: String { "RFC 4231 case \(number)" }
    }

    static let cases: [Case] = [
        Case(
            number: 1, key: [UInt8](repeating: 0x0b, count: 20), data: Array("Hi There".utf8),
            expected: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Case(
            number: 2, key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8),
            expected: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Case(
            number: 3, key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50),
            expected: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        Case(
            number: 4, key: (0x01...0x19).map { UInt8($0) }, data: [UInt8](repeating: 0xcd, count: 50),
            expected: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        Case(
            number: 5, key: [UInt8](repeating: 0x0c, count: 20), data: Array("Test With Truncation".utf8),
            expected: "a3b6167473100ee06e0c796c2955552b", truncatedToBytes: 16),
        Case(
            number: 6, key: [UInt8](repeating: 0xaa, count: 131),
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            expected: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        Case(
            number: 7, key: [UInt8](repeating: 0xaa, count: 131),
            data: Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. "
                    + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
            expected: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ]

    @Test(arguments: cases)
    func rfc4231(_ testCase: Case) {
        let code = HMACSHA256.authenticationCode(key: testCase.key, message: testCase.data)
        #expect(code.count == 32)
        let compared = testCase.truncatedToBytes.map { Array(code.prefix($0)) } ?? code
        #expect(Hex.string(compared) == testCase.expected)
        if testCase.truncatedToBytes == nil {
            #expect(HMACSHA256.hexAuthenticationCode(key: testCase.key, message: testCase.data) == testCase.expected)
        }
    }

    @Test("a string message hashes its UTF-8 bytes")
    func stringMessage() {
        #expect(
            HMACSHA256.hexAuthenticationCode(key: Array("Jefe".utf8), message: "what do ya want for nothing?")
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("a key of exactly one block is used as is")
    func blockSizedKey() {
        // Python: hmac.new(b"k" * 64, b"msg", hashlib.sha256).hexdigest()
        let code = HMACSHA256.hexAuthenticationCode(key: [UInt8](repeating: UInt8(ascii: "k"), count: 64), message: "msg")
        #expect(code == "d62ad25bb128e96ab6ef43464aaf2bb91b5b85f013381e9ba6be747e8d0911b2")
    }
}
