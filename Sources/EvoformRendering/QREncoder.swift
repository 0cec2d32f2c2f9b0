/// Encodes text as a QR code symbol (ISO/IEC 18004:2015): one byte-mode segment, the smallest
/// version 1-40 that holds it at the chosen error correction level, Reed-Solomon error
/// correction, and the data mask with the lowest penalty score unless one is forced.
public enum QREncoder {
    /// The symbol for `text`, encoded as its UTF-8 bytes (identical to ISO-8859-1 for ASCII,
    /// which pairing codes are; scanners read UTF-8 byte mode without an ECI header).
    /// - Parameters:
    ///   - level: error correction level; the symbol grows with it.
    ///   - mask: a data mask pattern 0...7 to use instead of the best one (for tests).
    public static func encode(
        _ text: String, level: QRErrorCorrection = .medium, mask: Int? = nil
    ) throws(QREncodingError) -> QRMatrix {
        try encode(bytes: Array(text.utf8), level: level, mask: mask)
    }

    /// The symbol for raw `bytes` in byte mode.
    public static func encode(
        bytes: [UInt8], level: QRErrorCorrection = .medium, mask: Int? = nil
    ) throws(QREncodingError) -> QRMatrix {
        if let mask, !(0...7).contains(mask) { throw .invalidMask(mask) }
        guard let version = QRVersion.smallest(holding: bytes.count, level: level) else {
            throw .tooLong(byteCount: bytes.count, maximum: QRVersion(40, level).byteCapacity, level: level)
        }
        var canvas = QRCanvas(version: version)
        canvas.place(finalCodewords(dataCodewords(bytes, version: version), version: version))
        return canvas.finish(mask: mask ?? bestMask(canvas))
    }

    /// The mask with the lowest penalty score; the lowest-numbered one on a tie.
    static func bestMask(_ canvas: QRCanvas) -> Int {
        var best = (mask: 0, score: Int.max)
        for (mask, symbol) in canvas.maskedLines().enumerated() {
            let score = QRPenalty(symbol).total
            if score < best.score { best = (mask, score) }
        }
        return best.mask
    }

    /// Mode indicator, character count, the bytes, terminator, zero bits to a byte boundary and
    /// the alternating pad codewords 0xEC 0x11, up to the symbol's data capacity (§7.4).
    static func dataCodewords(_ bytes: [UInt8], version: QRVersion) -> [UInt8] {
        let capacity = version.dataCodewords
        var buffer = BitBuffer()
        buffer.append(0b0100, bits: 4)
        buffer.append(bytes.count, bits: version.byteCountBits)
        for byte in bytes { buffer.append(Int(byte), bits: 8) }
        buffer.append(0, bits: min(4, capacity * 8 - buffer.bitCount))
        buffer.append(0, bits: (8 - buffer.bitCount % 8) % 8)
        var codewords = buffer.bytes
        var pad: UInt8 = 0xEC
        while codewords.count < capacity {
            codewords.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        return codewords
    }

    /// Splits the data codewords into blocks, computes each block's error correction codewords,
    /// and interleaves them: first data codeword of every block, then the second, ..., then the
    /// error correction codewords the same way (§7.6).
    static func finalCodewords(_ data: [UInt8], version: QRVersion) -> [UInt8] {
        let degree = version.errorCorrectionPerBlock
        var dataBlocks: [ArraySlice<UInt8>] = []
        var start = 0
        for length in version.blockDataCodewords {
            dataBlocks.append(data[start..<(start + length)])
            start += length
        }
        let generator = QRReedSolomon.generatorLogarithms(degree: degree)
        let errorBlocks = dataBlocks.map { QRReedSolomon.errorCorrection(for: $0, generatorLogarithms: generator) }
        var result: [UInt8] = []
        result.reserveCapacity(version.totalCodewords)
        for index in 0..<(version.shortBlockDataCodewords + 1) {
            for block in dataBlocks where index < block.count {
                result.append(block[block.startIndex + index])
            }
        }
        for index in 0..<degree {
            for block in errorBlocks { result.append(block[index]) }
        }
        return result
    }
}

/// A most-significant-bit-first bit writer.
private struct BitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var bitCount = 0

    /// Appends the low `bits` bits of `value` (at most 16), highest first.
    mutating func append(_ value: Int, bits: Int) {
        guard bits > 0 else { return }
        let used = bitCount % 8
        // The partial last byte's bits, then the new ones, then zeros to a byte boundary.
        var pending = used == 0 ? 0 : Int(bytes.removeLast()) >> (8 - used)
        pending = pending << bits | (value & ((1 << bits) - 1))
        var pendingBits = used + bits
        let padding = (8 - pendingBits % 8) % 8
        pending <<= padding
        pendingBits += padding
        while pendingBits > 0 {
            pendingBits -= 8
            bytes.append(UInt8(truncatingIfNeeded: pending >> pendingBits))
        }
        bitCount += bits
    }
}
