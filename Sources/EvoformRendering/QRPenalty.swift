/// The penalty score of a masked symbol (ISO/IEC 18004:2015 §7.8.3.1, Table 11); the encoder
/// keeps the mask with the lowest total, the first one on a tie.
struct QRPenalty: Sendable, Hashable {
    /// N1: each run of five or more same-coloured modules in a row or column scores 3, plus 1
    /// for every module beyond five.
    var runs = 0
    /// N2: each 2 × 2 block of same-coloured modules scores 3 (overlapping blocks all count,
    /// which is the m × n block rule summed over its 2 × 2 parts).
    var blocks = 0
    /// N3: each dark-light-dark-dark-dark-light-dark (1:1:3:1:1) pattern in a row or column with
    /// four light modules before or after it scores 40. Beyond the symbol edge the quiet zone
    /// counts as light.
    var finderLike = 0
    /// N4: 10 for every full 5 % the share of dark modules deviates from 50 %.
    var balance = 0

    var total: Int { runs + blocks + finderLike + balance }

    /// Scores the `size` × `size` row-major modules (0 light, 1 dark).
    init(modules: [UInt8], size: Int) {
        self.init(QRModuleLines(modules: modules, size: size))
    }

    /// Scores a packed symbol.
    init(_ symbol: QRModuleLines) {
        let size = symbol.size
        let words = symbol.wordsPerLine
        // Bits of the last word of a line that lie inside the symbol.
        let lastWordBits = size - 64 * (words - 1)
        let inside: UInt64 = lastWordBits == 64 ? ~0 : (1 << UInt64(lastWordBits)) - 1
        var runLengths = [Int](repeating: 0, count: size)
        runLengths.withUnsafeMutableBufferPointer { runLengths in
            symbol.rows.withUnsafeBufferPointer { rows in
                for line in 0..<size { scoreLine(rows, line * words, words, size, inside, runLengths) }
            }
            symbol.columns.withUnsafeBufferPointer { columns in
                for line in 0..<size { scoreLine(columns, line * words, words, size, inside, runLengths) }
            }
        }
        symbol.rows.withUnsafeBufferPointer { rows in
            var dark = 0
            for word in rows { dark += word.nonzeroBitCount }
            // floor(|dark / total × 100 − 50| / 5) = floor(|20 dark − 10 total| / total)
            let total = size * size
            balance = 10 * (abs(20 * dark - 10 * total) / total)

            // A 2 × 2 block starts at x where module x equals the one below it, the one right of
            // it, and that one equals the one below it.
            let lastStart: UInt64 = (1 << UInt64(lastWordBits - 1)) - 1  // x < size - 1 in the last word
            for y in 0..<(size - 1) {
                let top = y * words, bottom = top + words
                for word in 0..<words {
                    let upper = rows[top + word], lower = rows[bottom + word]
                    let carry = word + 1 < words
                    let upperRight = upper >> 1 | (carry ? rows[top + word + 1] << 63 : 0)
                    let lowerRight = lower >> 1 | (carry ? rows[bottom + word + 1] << 63 : 0)
                    var same = ~(upper ^ lower) & ~(upper ^ upperRight) & ~(upperRight ^ lowerRight)
                    if !carry { same &= lastStart }
                    blocks += 3 * same.nonzeroBitCount
                }
            }
        }
    }

    /// Adds N1 and N3 of the line packed in `words` words at `start`.
    private mutating func scoreLine(
        _ lines: UnsafeBufferPointer<UInt64>, _ start: Int, _ words: Int, _ size: Int, _ inside: UInt64,
        _ runLengths: UnsafeMutableBufferPointer<Int>
    ) {
        // Split the line into runs of one colour, at the positions where a module differs from
        // the one before it; the runs alternate from the colour of the first module.
        var runCount = 0
        var runStart = 0
        for word in 0..<words {
            let modules = lines[start + word]
            let previous = modules << 1 | (word > 0 ? lines[start + word - 1] >> 63 : modules & 1)
            var changes = modules ^ previous
            if word == words - 1 { changes &= inside }
            while changes != 0 {
                let position = word * 64 + changes.trailingZeroBitCount
                runLengths[runCount] = position - runStart
                runCount += 1
                runStart = position
                changes &= changes - 1
            }
        }
        runLengths[runCount] = size - runStart
        runCount += 1

        for run in 0..<runCount where runLengths[run] >= 5 { runs += runLengths[run] - 2 }

        // 1011101 spans the runs dark ≥ 1, light 1, dark 3, light 1, dark ≥ 1. Four light modules
        // before it need the first dark run to be a single module and the light run before that
        // to reach four modules, or to touch the edge, where the quiet zone continues it; after
        // it, the same mirrored.
        var run = lines[start] & 1 == 1 ? 0 : 1
        while run + 4 < runCount {
            defer { run += 2 }
            guard runLengths[run + 1] == 1, runLengths[run + 2] == 3, runLengths[run + 3] == 1 else { continue }
            let lightBefore = runLengths[run] == 1 && (run <= 1 || runLengths[run - 1] >= 4)
            let lightAfter = runLengths[run + 4] == 1 && (run + 5 >= runCount - 1 || runLengths[run + 5] >= 4)
            if lightBefore || lightAfter { finderLike += 40 }
        }
    }
}
