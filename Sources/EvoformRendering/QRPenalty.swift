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
        modules.withUnsafeBufferPointer { modules in
            // One line at a time, row or column, with four light modules of quiet zone each side.
            var line = [UInt8](repeating: 0, count: size + 8)
            var darkBefore = [Int](repeating: 0, count: size + 9)
            line.withUnsafeMutableBufferPointer { line in
                darkBefore.withUnsafeMutableBufferPointer { darkBefore in
                    for index in 0..<size {
                        for position in 0..<size { line[position + 4] = modules[index * size + position] }
                        scoreLine(line, darkBefore, size: size)
                        for position in 0..<size { line[position + 4] = modules[position * size + index] }
                        scoreLine(line, darkBefore, size: size)
                    }
                }
            }
            var dark = 0
            for y in 0..<size {
                for x in 0..<size {
                    let module = modules[y * size + x]
                    dark += Int(module)
                    if x + 1 < size, y + 1 < size,
                       module == modules[y * size + x + 1],
                       module == modules[(y + 1) * size + x],
                       module == modules[(y + 1) * size + x + 1] {
                        blocks += 3
                    }
                }
            }
            // floor(|dark / total × 100 − 50| / 5) = floor(|20 dark − 10 total| / total)
            let total = size * size
            balance = 10 * (abs(20 * dark - 10 * total) / total)
        }
    }

    /// Adds N1 and N3 of one padded line (4 light, `size` modules, 4 light).
    private mutating func scoreLine(
        _ line: UnsafeMutableBufferPointer<UInt8>, _ darkBefore: UnsafeMutableBufferPointer<Int>, size: Int
    ) {
        var run = 1
        for position in 5..<(size + 4) {
            if line[position] == line[position - 1] {
                run += 1
            } else {
                if run >= 5 { runs += run - 2 }
                run = 1
            }
        }
        if run >= 5 { runs += run - 2 }

        // darkBefore[i] is the number of dark modules in line[0..<i].
        for position in 0..<(size + 8) { darkBefore[position + 1] = darkBefore[position] + Int(line[position]) }
        var position = 4
        while position + 7 <= size + 4 {
            defer { position += 1 }
            guard line[position] == 1, line[position + 1] == 0, line[position + 2] == 1, line[position + 3] == 1,
                  line[position + 4] == 1, line[position + 5] == 0, line[position + 6] == 1 else { continue }
            let lightBefore = darkBefore[position] == darkBefore[position - 4]
            let lightAfter = darkBefore[position + 11] == darkBefore[position + 7]
            if lightBefore || lightAfter { finderLike += 40 }
        }
    }
}
