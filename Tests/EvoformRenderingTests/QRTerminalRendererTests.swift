import Testing
@testable import EvoformRendering

@Suite("QR terminal renderer")
struct QRTerminalRendererTests {
    /// The 21 × 21 version 1 symbol of the `v1-L-mask0` fixture.
    static func smallCode() throws -> QRMatrix {
        try QREncoder.encode("evoform", level: .low, mask: 0)
    }

    /// Splits rendered text into lines of characters, checking that it ends in a newline.
    static func lines(_ text: String) -> [[Character]] {
        #expect(text.hasSuffix("\n"))
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(Array.init)
    }

    /// Reads the half blocks back as module rows: `true` where a block is drawn.
    static func inkRows(_ lines: [[Character]]) -> [[Bool]] {
        lines.flatMap { line in
            [line.map { $0 == "█" || $0 == "▀" }, line.map { $0 == "█" || $0 == "▄" }]
        }
    }

    @Test func aVersion1CodeIs15LinesOf29CharactersWithAFourModuleQuietZone() throws {
        let matrix = try Self.smallCode()
        #expect(matrix.size == 21)
        let lines = Self.lines(QRTerminalRenderer().render(matrix))
        // 21 + 2 × 4 = 29 module rows, two per line: 15 lines, the last one half used.
        #expect(lines.count == 15)
        #expect(lines.allSatisfy { $0.count == 29 })
        #expect(lines.joined().allSatisfy { "█▀▄ ".contains($0) })
        // Rows 0-3 are quiet zone, drawn as light: full blocks on a dark terminal.
        #expect(lines[0] == Array(repeating: "█", count: 29))
        #expect(lines[1] == Array(repeating: "█", count: 29))
        // Row 28 is the last quiet row; nothing is drawn below it.
        #expect(lines[14] == Array(repeating: "▀", count: 29))
        for line in lines[2..<14] {
            #expect(line.prefix(4) == ["█", "█", "█", "█"])
            #expect(line.suffix(4) == ["█", "█", "█", "█"])
        }
        // Symbol rows 0 and 1 (fixture: 111111100101101111111 over 100000100111001000001): the
        // finder edges are dark, so blank; a light module under a dark one is a lower half block.
        #expect(String(lines[2]) == "████ ▄▄▄▄▄ ██ ▀ ▄█ ▄▄▄▄▄ ████")
    }

    @Test func onADarkBackgroundTheBlocksAreExactlyTheLightModulesAndTheQuietZone() throws {
        let matrix = try Self.smallCode()
        let ink = Self.inkRows(Self.lines(QRTerminalRenderer(background: .dark).render(matrix)))
        #expect(ink.count == 30)
        for y in 0..<29 {
            for x in 0..<29 {
                #expect(ink[y][x] == !matrix[x - 4, y - 4], "module (\(x - 4),\(y - 4))")
            }
        }
        #expect(ink[29].allSatisfy { !$0 }, "no half row below the code")
    }

    @Test func onALightBackgroundTheBlocksAreExactlyTheDarkModules() throws {
        let matrix = try Self.smallCode()
        let lines = Self.lines(QRTerminalRenderer(background: .light).render(matrix))
        #expect(lines.count == 15)
        #expect(lines.allSatisfy { $0.count == 29 })
        let ink = Self.inkRows(lines)
        for y in 0..<29 {
            for x in 0..<29 {
                #expect(ink[y][x] == matrix[x - 4, y - 4], "module (\(x - 4),\(y - 4))")
            }
        }
        #expect(lines[0] == Array(repeating: " ", count: 29))
    }

    @Test func theLargestCodeKeepsTheShape() throws {
        let matrix = try QREncoder.encode(String(repeating: "x", count: 2953), level: .low, mask: 0)
        let lines = Self.lines(QRTerminalRenderer().render(matrix))
        #expect(matrix.size == 177)
        #expect(lines.count == (177 + 8 + 1) / 2)
        #expect(lines.allSatisfy { $0.count == 185 })
    }
}
