/// Reed-Solomon error correction over GF(256) with the QR code field polynomial
/// x^8 + x^4 + x^3 + x^2 + 1 (0x11D) and generator roots α^0 ... α^(n-1), α = 2.
enum QRReedSolomon {
    /// `exponent[i]` is α^i for i in 0..<510 (doubled so products need no modulo).
    static let exponent: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for i in 0..<255 {
            table[i] = UInt8(value)
            table[i + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return table
    }()

    /// `logarithm[v]` is i with α^i = v, for v in 1...255 (`logarithm[0]` is unused).
    static let logarithm: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for i in 0..<255 { table[Int(exponent[i])] = i }
        return table
    }()

    /// The product of two field elements.
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exponent[logarithm[Int(a)] + logarithm[Int(b)]]
    }

    /// Coefficients of the generator polynomial of degree `degree`, highest power first, without
    /// the leading 1: (x - α^0)(x - α^1)...(x - α^(degree-1)).
    static func generator(degree: Int) -> [UInt8] {
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1  // start with the polynomial 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            // Multiply by (x - root): shift left, then add root times the old polynomial.
            for j in 0..<degree {
                coefficients[j] = multiply(coefficients[j], root)
                if j + 1 < degree { coefficients[j] ^= coefficients[j + 1] }
            }
            root = multiply(root, 2)
        }
        return coefficients
    }

    /// The `degree` error correction codewords for `data`: the remainder of data·x^degree
    /// divided by the generator polynomial of that degree.
    static func errorCorrection(for data: ArraySlice<UInt8>, degree: Int) -> [UInt8] {
        errorCorrection(for: data, generatorLogarithms: generatorLogarithms(degree: degree))
    }

    /// The generator's coefficients as logarithms, -1 for a zero coefficient; computed once per
    /// symbol and shared by its blocks.
    static func generatorLogarithms(degree: Int) -> [Int] {
        generator(degree: degree).map { $0 == 0 ? -1 : logarithm[Int($0)] }
    }

    /// The remainder by polynomial long division, as the usual shift register.
    static func errorCorrection(for data: ArraySlice<UInt8>, generatorLogarithms: [Int]) -> [UInt8] {
        let degree = generatorLogarithms.count
        var remainder = [UInt8](repeating: 0, count: degree)
        remainder.withUnsafeMutableBufferPointer { remainder in
            exponent.withUnsafeBufferPointer { exponent in
                logarithm.withUnsafeBufferPointer { logarithm in
                    generatorLogarithms.withUnsafeBufferPointer { generator in
                        for byte in data {
                            let factor = byte ^ remainder[0]
                            for j in 0..<(degree - 1) { remainder[j] = remainder[j + 1] }
                            remainder[degree - 1] = 0
                            guard factor != 0 else { continue }
                            let factorLog = logarithm[Int(factor)]
                            for j in 0..<degree where generator[j] >= 0 {
                                remainder[j] ^= exponent[generator[j] + factorLog]
                            }
                        }
                    }
                }
            }
        }
        return remainder
    }
}
