/// A symbol under construction: module values plus which modules belong to function patterns
/// (finders, separators, timing, alignment, format and version areas) and so are never masked.
///
/// The format area, the dark module and the version area stay light until `finish(mask:)`:
/// ISO/IEC 18004:2015 §7.1 orders masking and its evaluation (step 6) before the format and
/// version information (step 7), so masks are compared without them.
struct QRCanvas: Sendable {
    let version: QRVersion
    let size: Int
    /// Row-major, 0 light and 1 dark.
    private(set) var modules: [UInt8]
    /// Row-major; `true` for modules of function patterns and reserved areas.
    let isFunction: [Bool]
    /// The modules data masks apply to (all but the function modules), packed.
    let maskable: QRModuleLines

    /// A canvas with every function pattern drawn and the information areas reserved.
    init(version: QRVersion) {
        self.version = version
        size = version.size
        var drawing = Drawing(size: size)
        drawing.drawTimingPatterns()
        drawing.drawFinderPatterns()
        drawing.drawAlignmentPatterns(at: version.alignmentPositions)
        drawing.reserveFormatArea()
        if version.number >= 7 { drawing.reserveVersionArea() }
        modules = drawing.modules
        isFunction = drawing.isFunction
        maskable = QRModuleLines(modules: drawing.isFunction.map { $0 ? 0 : 1 }, size: size)
    }

    /// Places the final codeword sequence in the two-module-wide zigzag from the bottom right
    /// corner (§7.7.3), skipping function modules and the vertical timing column. Modules left
    /// over (remainder bits) stay light.
    mutating func place(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var bitIndex = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for vertical in 0..<size {
                let y = upward ? size - 1 - vertical : vertical
                for column in 0..<2 {
                    let x = right - column
                    guard !isFunction[y * size + x], bitIndex < bitCount else { continue }
                    modules[y * size + x] = (codewords[bitIndex >> 3] >> (7 - UInt8(bitIndex & 7))) & 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
        precondition(bitIndex == bitCount, "codewords do not fit the symbol")
    }

    /// The modules with data mask `mask` applied to every non-function module.
    func masked(_ mask: Int) -> [UInt8] {
        var result = modules
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] && Self.maskInverts(mask, x: x, y: y) {
                result[y * size + x] ^= 1
            }
        }
        return result
    }

    /// The same as `masked(_:)`, packed, for every mask at once: what the mask choice scores.
    func maskedLines() -> [QRModuleLines] {
        let base = QRModuleLines(modules: modules, size: size)
        return (0..<8).map { QRModuleLines(base: base, mask: $0, maskable: maskable) }
    }

    /// The finished symbol: mask applied, then format information (both copies, with the dark
    /// module) and, from version 7, version information.
    func finish(mask: Int) -> QRMatrix {
        var drawing = Drawing(size: size, modules: masked(mask))
        drawing.drawFormatInformation(Self.formatInformation(level: version.level, mask: mask))
        if version.number >= 7 {
            drawing.drawVersionInformation(Self.versionInformation(version.number))
        }
        return QRMatrix(
            version: version.number, errorCorrection: version.level, mask: mask,
            modules: drawing.modules.map { $0 != 0 })
    }

    /// Whether data mask pattern `mask` (Table 10) inverts the module in column `x`, row `y`.
    static func maskInverts(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (x / 3 + y / 2) % 2 == 0
        case 5: x * y % 2 + x * y % 3 == 0
        case 6: (x * y % 2 + x * y % 3) % 2 == 0
        case 7: ((x + y) % 2 + x * y % 3) % 2 == 0
        default: preconditionFailure("mask patterns are 0 to 7")
        }
    }

    /// The 15 format bits: level and mask, a BCH(15,5) remainder, XOR 101010000010010 (§7.9).
    static func formatInformation(level: QRErrorCorrection, mask: Int) -> Int {
        let data = level.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The 18 version bits: the version and a BCH(18,6) remainder (§7.10).
    static func versionInformation(_ version: Int) -> Int {
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        return version << 12 | remainder
    }
}

/// Drawing primitives shared by the canvas setup and the finishing step.
private struct Drawing {
    let size: Int
    var modules: [UInt8]
    var isFunction: [Bool]

    init(size: Int, modules: [UInt8]? = nil) {
        self.size = size
        self.modules = modules ?? [UInt8](repeating: 0, count: size * size)
        isFunction = [Bool](repeating: false, count: size * size)
    }

    mutating func set(_ x: Int, _ y: Int, dark: Bool) {
        modules[y * size + x] = dark ? 1 : 0
        isFunction[y * size + x] = true
    }

    mutating func reserve(_ x: Int, _ y: Int) {
        isFunction[y * size + x] = true
    }

    mutating func drawTimingPatterns() {
        for i in 0..<size {
            set(6, i, dark: i % 2 == 0)
            set(i, 6, dark: i % 2 == 0)
        }
    }

    /// The three finder patterns with their light separators.
    mutating func drawFinderPatterns() {
        for (centerX, centerY) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let x = centerX + dx, y = centerY + dy
                    guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                    let ring = max(abs(dx), abs(dy))
                    set(x, y, dark: ring != 2 && ring != 4)
                }
            }
        }
    }

    mutating func drawAlignmentPatterns(at positions: [Int]) {
        guard let last = positions.indices.last else { return }
        for i in positions.indices {
            for j in positions.indices {
                if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                for dy in -2...2 {
                    for dx in -2...2 {
                        set(positions[i] + dx, positions[j] + dy, dark: max(abs(dx), abs(dy)) != 1)
                    }
                }
            }
        }
    }

    /// Both format information copies and the dark module at (8, size - 8), left light.
    mutating func reserveFormatArea() {
        for i in 0...8 {
            reserve(8, i)
            reserve(i, 8)
        }
        for i in 0..<8 {
            reserve(size - 1 - i, 8)
            reserve(8, size - 1 - i)
        }
    }

    /// The two 6 × 3 version information blocks, left light.
    mutating func reserveVersionArea() {
        for i in 0..<18 {
            reserve(size - 11 + i % 3, i / 3)
            reserve(i / 3, size - 11 + i % 3)
        }
    }

    /// Bit 0 is the least significant of the 15 (Figure 25).
    mutating func drawFormatInformation(_ bits: Int) {
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 != 0 }
        // Around the top left finder.
        for i in 0..<6 { set(8, i, dark: bit(i)) }
        set(8, 7, dark: bit(6))
        set(8, 8, dark: bit(7))
        set(7, 8, dark: bit(8))
        for i in 9..<15 { set(14 - i, 8, dark: bit(i)) }
        // Split between the top right and bottom left finders.
        for i in 0..<8 { set(size - 1 - i, 8, dark: bit(i)) }
        for i in 8..<15 { set(8, size - 15 + i, dark: bit(i)) }
        set(8, size - 8, dark: true)
    }

    /// Bit 0 is the least significant of the 18 (§7.10, Figure 27).
    mutating func drawVersionInformation(_ bits: Int) {
        for i in 0..<18 {
            let dark = (bits >> i) & 1 != 0
            set(size - 11 + i % 3, i / 3, dark: dark)
            set(i / 3, size - 11 + i % 3, dark: dark)
        }
    }
}
