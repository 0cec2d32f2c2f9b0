/// SplitMix64: a tiny, fast, seedable generator (Steele, Lea, Flood 2014). Same seed, same
/// sequence, on every platform.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `rate` (never for 0, always for 1).
    mutating func chance(_ rate: Double) -> Bool {
        if rate <= 0 { return false }
        if rate >= 1 { return true }
        return nextUnit() < rate
    }

    /// A version 4 UUID, lower-case (`uuid.v4()`).
    mutating func uuid() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        let high = next()
        let low = next()
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> (UInt64(index) * 8))
            bytes[index + 8] = UInt8(truncatingIfNeeded: low >> (UInt64(index) * 8))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte -> String in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }

    /// A Prisma-style cuid: `c` and 24 lower-case letters and digits.
    mutating func cuid() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var text = "c"
        for _ in 0..<24 { text.append(alphabet[Int(next() % UInt64(alphabet.count))]) }
        return text
    }

    /// `count` characters from `alphabet`.
    mutating func string(_ count: Int, from alphabet: String) -> String {
        let characters = Array(alphabet)
        var text = ""
        for _ in 0..<count { text.append(characters[Int(next() % UInt64(characters.count))]) }
        return text
    }
}
