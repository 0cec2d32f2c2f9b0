import Foundation

/// A real, decodable PNG standing in for a WhatsApp pairing QR code: a 29x29 module grid
/// with the three finder squares of a QR code and a data area whose pattern is derived from
/// the code text, so the same code always gives the same image. It is not a scannable QR code.
enum QRCodeImage {
    static let modules = 29
    static let scale = 8
    static let quietZone = 4

    /// `data:image/png;base64,...` for `code`.
    static func dataURL(for code: String) -> String {
        "data:image/png;base64," + Data(png(for: code)).base64EncodedString()
    }

    /// The PNG bytes for `code`: 1-bit greyscale, uncompressed deflate blocks.
    static func png(for code: String) -> [UInt8] {
        let grid = moduleGrid(for: code)
        let side = (modules + 2 * quietZone) * scale
        let rowBytes = (side + 7) / 8
        var raw: [UInt8] = []
        raw.reserveCapacity((rowBytes + 1) * side)
        for y in 0..<side {
            raw.append(0)  // filter: none
            var row = [UInt8](repeating: 0xFF, count: rowBytes)  // 1 = white
            let moduleY = y / scale - quietZone
            for x in 0..<side {
                let moduleX = x / scale - quietZone
                guard (0..<modules).contains(moduleX), (0..<modules).contains(moduleY), grid[moduleY][moduleX] else {
                    continue
                }
                row[x / 8] &= ~(0x80 >> UInt8(x % 8))
            }
            raw.append(contentsOf: row)
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header.append(contentsOf: bigEndian(UInt32(side)))
        header.append(contentsOf: bigEndian(UInt32(side)))
        header.append(contentsOf: [1, 0, 0, 0, 0])  // bit depth 1, greyscale, deflate, no filter, no interlace
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", zlibStored(raw), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// Dark modules: finder patterns in three corners, timing lines, and data bits from a hash of `code`.
    static func moduleGrid(for code: String) -> [[Bool]] {
        var grid = [[Bool]](repeating: [Bool](repeating: false, count: modules), count: modules)
        var reserved = [[Bool]](repeating: [Bool](repeating: false, count: modules), count: modules)
        for (originX, originY) in [(0, 0), (modules - 7, 0), (0, modules - 7)] {
            for dy in -1...7 {
                for dx in -1...7 {
                    let x = originX + dx
                    let y = originY + dy
                    guard (0..<modules).contains(x), (0..<modules).contains(y) else { continue }
                    reserved[y][x] = true
                    let ring = max(abs(dx - 3), abs(dy - 3))
                    grid[y][x] = (0...7).contains(dx) && (0...7).contains(dy) && ring != 2 && ring <= 3
                }
            }
        }
        for index in 8..<(modules - 8) {
            grid[6][index] = index % 2 == 0
            grid[index][6] = index % 2 == 0
            reserved[6][index] = true
            reserved[index][6] = true
        }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in code.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        var generator = SplitMix64(seed: hash)
        var bits: UInt64 = 0
        var remaining = 0
        for y in 0..<modules {
            for x in 0..<modules where !reserved[y][x] {
                if remaining == 0 {
                    bits = generator.next()
                    remaining = 64
                }
                grid[y][x] = bits & 1 == 1
                bits >>= 1
                remaining -= 1
            }
        }
        return grid
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        png.append(contentsOf: bigEndian(UInt32(data.count)))
        let typeBytes = Array(type.utf8)
        png.append(contentsOf: typeBytes)
        png.append(contentsOf: data)
        png.append(contentsOf: bigEndian(crc32(typeBytes + data)))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65535, data.count - offset)
            let isFinal = offset + length == data.count
            output.append(isFinal ? 1 : 0)
            output.append(UInt8(length & 0xFF))
            output.append(UInt8(length >> 8))
            output.append(UInt8(~length & 0xFF))
            output.append(UInt8((~length >> 8) & 0xFF))
            output.append(contentsOf: data[offset..<(offset + length)])
            offset += length
        } while offset < data.count
        output.append(contentsOf: bigEndian(adler32(data)))
        return output
    }

    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
