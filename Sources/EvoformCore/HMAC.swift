/// HMAC-SHA256 (RFC 2104), on top of `SHA256`. Keys longer than a block are hashed first,
/// shorter ones are zero-padded, exactly as the RFC says.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(key: [UInt8], message: some Sequence<UInt8>) -> [UInt8] {
        var blockKey = key.count > SHA256.blockByteCount ? SHA256.hash(key) : key
        blockKey.append(contentsOf: repeatElement(0, count: SHA256.blockByteCount - blockKey.count))
        var inner = SHA256.Hasher()
        inner.update(blockKey.map { $0 ^ 0x36 })
        inner.update(message)
        let innerDigest = inner.finalize()
        var outer = SHA256.Hasher()
        outer.update(blockKey.map { $0 ^ 0x5c })
        outer.update(innerDigest)
        return outer.finalize()
    }

    /// The authentication code as 64 lowercase hex digits.
    public static func hexAuthenticationCode(key: [UInt8], message: some Sequence<UInt8>) -> String {
        Hex.string(authenticationCode(key: key, message: message))
    }

    /// The authentication code of a string's UTF-8 bytes as 64 lowercase hex digits.
    public static func hexAuthenticationCode(key: [UInt8], message: String) -> String {
        hexAuthenticationCode(key: key, message: message.utf8)
    }
}
