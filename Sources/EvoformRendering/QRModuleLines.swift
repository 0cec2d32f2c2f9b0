/// A square of modules packed 64 to a word, once by rows and once by columns, so that masking
/// and the mask penalty work on whole words. Bit `i % 64` of word `i / 64` of line `n` is module
/// `i` of row (column) `n`; bits beyond `size` are always 0.
struct QRModuleLines: Sendable, Equatable {
    let size: Int
    /// Words per row or column: 1 to 3 (up to 177 modules).
    let wordsPerLine: Int
    /// Row `y` is `rows[y * wordsPerLine ..< (y + 1) * wordsPerLine]`, bits by x.
    fileprivate(set) var rows: [UInt64]
    /// Column `x` is `columns[x * wordsPerLine ..< (x + 1) * wordsPerLine]`, bits by y.
    fileprivate(set) var columns: [UInt64]

    /// Packs `size` × `size` row-major modules, 0 light and anything else dark.
    init(modules: [UInt8], size: Int) {
        self.size = size
        wordsPerLine = (size + 63) / 64
        rows = [UInt64](repeating: 0, count: size * wordsPerLine)
        columns = rows
        for y in 0..<size {
            for x in 0..<size where modules[y * size + x] != 0 {
                rows[y * wordsPerLine + x / 64] |= 1 << UInt64(x % 64)
                columns[x * wordsPerLine + y / 64] |= 1 << UInt64(y % 64)
            }
        }
    }

    /// `base` with data mask `mask` applied where `maskable` is dark.
    init(base: QRModuleLines, mask: Int, maskable: QRModuleLines) {
        self = base
        let words = wordsPerLine
        rows.withUnsafeMutableBufferPointer { rows in
            columns.withUnsafeMutableBufferPointer { columns in
                maskable.rows.withUnsafeBufferPointer { maskableRows in
                    maskable.columns.withUnsafeBufferPointer { maskableColumns in
                        Self.rowPatterns.withUnsafeBufferPointer { rowPatterns in
                            Self.columnPatterns.withUnsafeBufferPointer { columnPatterns in
                                for line in 0..<size {
                                    let pattern = (mask * 12 + line % 12) * 3
                                    for word in 0..<words {
                                        let index = line * words + word
                                        rows[index] ^= rowPatterns[pattern + word] & maskableRows[index]
                                        columns[index] ^= columnPatterns[pattern + word] & maskableColumns[index]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `rowPatterns[(mask * 12 + y % 12) * 3 + word]`: where mask `mask` inverts row y, for
    /// x < 192. The patterns repeat every 12 modules in both directions.
    private static let rowPatterns: [UInt64] = patterns { mask, line, position in
        QRCanvas.maskInverts(mask, x: position, y: line)
    }

    /// `columnPatterns[(mask * 12 + x % 12) * 3 + word]`: where mask `mask` inverts column x.
    private static let columnPatterns: [UInt64] = patterns { mask, line, position in
        QRCanvas.maskInverts(mask, x: line, y: position)
    }

    private static func patterns(_ inverts: (Int, Int, Int) -> Bool) -> [UInt64] {
        var result = [UInt64](repeating: 0, count: 8 * 12 * 3)
        for mask in 0..<8 {
            for line in 0..<12 {
                let tile = (0..<12).map { inverts(mask, line, $0) }
                for position in 0..<192 where tile[position % 12] {
                    result[(mask * 12 + line) * 3 + position / 64] |= 1 << UInt64(position % 64)
                }
            }
        }
        return result
    }
}
