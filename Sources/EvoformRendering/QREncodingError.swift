import EvoformCore

/// Why a text cannot be drawn as a QR code.
public enum QREncodingError: UserFacingError, Hashable, Sendable {
    /// The text needs more bytes than a version 40 symbol holds at this error correction level.
    case tooLong(byteCount: Int, maximum: Int, level: QRErrorCorrection)
    /// A forced mask pattern outside 0...7.
    case invalidMask(Int)

    public var userMessage: String {
        switch self {
        case .tooLong(let byteCount, let maximum, let level):
            "cannot draw a QR code: the text is \(byteCount) bytes, but the largest QR code "
                + "(version 40) holds at most \(maximum) bytes at error correction level "
                + "\(level.rawValue); shorten the text"
                + (level == .low ? "" : " or use a lower error correction level")
        case .invalidMask(let mask):
            "cannot draw a QR code: mask pattern \(mask) does not exist; use 0 to 7, or none to choose the best"
        }
    }
}
