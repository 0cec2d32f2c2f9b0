/// The geometry and block structure of one QR code version (1-40) at one error correction level,
/// after ISO/IEC 18004:2015 Table 9 and Annex E.
struct QRVersion: Sendable, Hashable {
    let number: Int
    let level: QRErrorCorrection

    init(_ number: Int, _ level: QRErrorCorrection) {
        precondition((1...40).contains(number), "QR versions are 1 to 40")
        self.number = number
        self.level = level
    }

    /// Modules per side.
    var size: Int { 17 + 4 * number }

    /// Codewords in the symbol, data and error correction together (Table 9, column 4).
    var totalCodewords: Int { Self.rawDataModules(number) / 8 }

    /// Error correction codewords in each block.
    var errorCorrectionPerBlock: Int { Self.errorCorrectionPerBlock[level.tableIndex][number] }

    /// Number of blocks the codewords are split into.
    var blockCount: Int { Self.blockCounts[level.tableIndex][number] }

    /// Data codewords in the whole symbol.
    var dataCodewords: Int { totalCodewords - errorCorrectionPerBlock * blockCount }

    /// Blocks with one data codeword fewer than the others; they come first.
    var shortBlockCount: Int { blockCount - totalCodewords % blockCount }

    /// Data codewords in a short block; long blocks hold one more.
    var shortBlockDataCodewords: Int { totalCodewords / blockCount - errorCorrectionPerBlock }

    /// Data codewords of each block, in order (short blocks first).
    var blockDataCodewords: [Int] {
        (0..<blockCount).map { $0 < shortBlockCount ? shortBlockDataCodewords : shortBlockDataCodewords + 1 }
    }

    /// Bits of the character count indicator in byte mode (Table 3).
    var byteCountBits: Int { number <= 9 ? 8 : 16 }

    /// The most bytes one byte-mode segment can carry in this symbol.
    var byteCapacity: Int { (dataCodewords * 8 - 4 - byteCountBits) / 8 }

    /// Centre coordinates of the alignment patterns along one axis (Annex E, Table E.1); the
    /// patterns sit at every pair of them except the three overlapping the finder patterns.
    var alignmentPositions: [Int] {
        guard number > 1 else { return [] }
        let count = number / 7 + 2
        let step = number == 32 ? 26 : (number * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        return [6] + (0..<(count - 1)).reversed().map { size - 7 - $0 * step }
    }

    /// The smallest version whose byte capacity holds `byteCount` bytes, if any.
    static func smallest(holding byteCount: Int, level: QRErrorCorrection) -> QRVersion? {
        (1...40).lazy.map { QRVersion($0, level) }.first { $0.byteCapacity >= byteCount }
    }

    /// Modules left for codewords (and remainder bits) once the function patterns and the
    /// format and version information are drawn.
    private static func rawDataModules(_ version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignmentCount = version / 7 + 2
            result -= (25 * alignmentCount - 10) * alignmentCount - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    // Table 9, indexed [level L, M, Q, H][version]; index 0 is unused.
    private static let errorCorrectionPerBlock: [[Int]] = [
        [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
         28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
         26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
         28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
         30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    private static let blockCounts: [[Int]] = [
        [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
         8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
         17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
         23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
         25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]
}
