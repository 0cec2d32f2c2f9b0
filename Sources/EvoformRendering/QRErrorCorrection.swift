/// How much of a QR code may be damaged and still be read: about 7 % (L), 15 % (M), 25 % (Q)
/// or 30 % (H) of the codewords. More correction means a larger symbol for the same text.
public enum QRErrorCorrection: String, Sendable, Hashable, CaseIterable {
    case low = "L"
    case medium = "M"
    case quartile = "Q"
    case high = "H"

    /// The two bits that identify the level in the format information (ISO/IEC 18004 Table 12).
    var formatBits: Int {
        switch self {
        case .low: 0b01
        case .medium: 0b00
        case .quartile: 0b11
        case .high: 0b10
        }
    }

    /// Row index into the block structure tables, in the order L, M, Q, H.
    var tableIndex: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .quartile: 2
        case .high: 3
        }
    }
}
