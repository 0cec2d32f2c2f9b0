/// A finished QR code symbol: `size` × `size` modules, `true` for dark. It holds no quiet zone;
/// renderers add one.
public struct QRMatrix: Sendable, Equatable {
    /// Modules per side: 17 + 4 × version (21 for version 1, 177 for version 40).
    public let size: Int
    /// The symbol version, 1 to 40.
    public let version: Int
    /// The error correction level the symbol was made with.
    public let errorCorrection: QRErrorCorrection
    /// The data mask pattern applied, 0 to 7.
    public let mask: Int
    /// Row-major modules, `true` for dark.
    private let modules: [Bool]

    init(version: Int, errorCorrection: QRErrorCorrection, mask: Int, modules: [Bool]) {
        let size = 17 + 4 * version
        precondition(modules.count == size * size, "a version \(version) symbol has \(size * size) modules")
        self.size = size
        self.version = version
        self.errorCorrection = errorCorrection
        self.mask = mask
        self.modules = modules
    }

    /// Whether the module in column `x`, row `y` (both from the top left corner) is dark.
    /// Outside the symbol it is light, as the quiet zone around it is.
    public subscript(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }
}
