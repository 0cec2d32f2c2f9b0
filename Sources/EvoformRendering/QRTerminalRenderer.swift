/// Draws a QR code for a terminal with Unicode half blocks: each character shows two module
/// rows (`▀` top, `▄` bottom, `█` both, space neither), inside a 4-module quiet zone.
///
/// Terminals draw blocks in the foreground colour. On a dark background that colour is light, so
/// by default the blocks stand for the light modules (the quiet zone included) and the dark
/// modules are left as background: the code then reads dark-on-light as scanners expect.
public struct QRTerminalRenderer: Sendable {
    /// The terminal background the code will be shown on.
    public enum Background: Sendable, Hashable {
        /// Light text on a dark background: blocks draw the light modules.
        case dark
        /// Dark text on a light background: blocks draw the dark modules.
        case light
    }

    /// Light modules around the symbol on every side; ISO/IEC 18004 requires four.
    public static let quietZone = 4

    public var background: Background

    public init(background: Background = .dark) {
        self.background = background
    }

    /// The code as `(size + 8 + 1) / 2` lines of `size + 8` characters, each line ending in "\n".
    /// With an odd number of module rows the bottom half of the last line is left blank.
    public func render(_ matrix: QRMatrix) -> String {
        let zone = Self.quietZone
        let rows = matrix.size + 2 * zone
        var text = ""
        text.unicodeScalars.reserveCapacity((rows + 1) / 2 * (rows + 1))
        for top in stride(from: 0, to: rows, by: 2) {
            for column in 0..<rows {
                let upper = inked(matrix, column - zone, top - zone)
                let lower = top + 1 < rows && inked(matrix, column - zone, top + 1 - zone)
                let block: Unicode.Scalar = switch (upper, lower) {
                case (true, true): "\u{2588}"  // █
                case (true, false): "\u{2580}"  // ▀
                case (false, true): "\u{2584}"  // ▄
                case (false, false): " "
                }
                text.unicodeScalars.append(block)
            }
            text.unicodeScalars.append("\n")
        }
        return text
    }

    /// Whether the module at (x, y), quiet zone included, is drawn as a block.
    private func inked(_ matrix: QRMatrix, _ x: Int, _ y: Int) -> Bool {
        matrix[x, y] == (background == .light)
    }
}
