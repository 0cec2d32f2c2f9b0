import Foundation

@testable import EvolutionSimulator

/// Decodes the PNGs the simulator writes far enough to prove they are well-formed images:
/// signature, chunk CRCs, IHDR, a zlib stream of stored deflate blocks with a correct Adler-32,
/// and exactly one filter byte plus packed pixels per row.
enum PNGInspector {
    struct Image: Equatable {
        var width: Int
        var height: Int
        var bitDepth: UInt8
        var colorType: UInt8
        /// Rows of unfiltered pixel bytes.
        var rows: [[UInt8]]
    }

    static func isValid(_ bytes: [UInt8]) -> Bool { decode(bytes) != nil }

    static func decode(_ bytes: [UInt8]) -> Image? {
        guard bytes.count > 8, Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        var offset = 8
        var header: [UInt8]?
        var idat: [UInt8] = []
        var sawEnd = false
        while offset + 12 <= bytes.count {
            let length = Int(readUInt32(bytes, offset))
            guard offset + 12 + length <= bytes.count else { return nil }
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let data = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            let crc = readUInt32(bytes, offset + 8 + length)
            guard QRCodeImage.crc32(Array(bytes[(offset + 4)..<(offset + 8 + length)])) == crc else { return nil }
            switch type {
            case "IHDR": header = data
            case "IDAT": idat += data
            case "IEND": sawEnd = true
            default: break
            }
            offset += 12 + length
        }
        guard sawEnd, offset == bytes.count, let header, header.count == 13 else { return nil }
        let width = Int(readUInt32(header, 0))
        let height = Int(readUInt32(header, 4))
        let bitDepth = header[8]
        let colorType = header[9]
        guard width > 0, height > 0, colorType == 0, [1, 2, 4, 8].contains(bitDepth) else { return nil }
        guard let raw = inflateStored(idat) else { return nil }
        let rowBytes = (width * Int(bitDepth) + 7) / 8
        guard raw.count == height * (rowBytes + 1) else { return nil }
        var rows: [[UInt8]] = []
        for row in 0..<height {
            let start = row * (rowBytes + 1)
            guard raw[start] == 0 else { return nil }
            rows.append(Array(raw[(start + 1)...(start + rowBytes)]))
        }
        return Image(width: width, height: height, bitDepth: bitDepth, colorType: colorType, rows: rows)
    }

    private static func inflateStored(_ stream: [UInt8]) -> [UInt8]? {
        guard stream.count >= 6, stream[0] & 0x0F == 8, (UInt16(stream[0]) << 8 | UInt16(stream[1])) % 31 == 0 else { return nil }
        var offset = 2
        var output: [UInt8] = []
        while true {
            guard offset + 5 <= stream.count else { return nil }
            let header = stream[offset]
            guard header & 0b110 == 0 else { return nil }  // stored blocks only
            let length = Int(stream[offset + 1]) | Int(stream[offset + 2]) << 8
            let complement = Int(stream[offset + 3]) | Int(stream[offset + 4]) << 8
            guard length ^ 0xFFFF == complement, offset + 5 + length <= stream.count else { return nil }
            output += stream[(offset + 5)..<(offset + 5 + length)]
            offset += 5 + length
            if header & 1 == 1 { break }
        }
        guard offset + 4 == stream.count, readUInt32(stream, offset) == QRCodeImage.adler32(output) else { return nil }
        return output
    }

    private static func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
