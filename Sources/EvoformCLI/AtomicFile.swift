import EvoformCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces a file's contents all at once: the new bytes go to a temporary file beside it
/// (flushed to disk, with the original's permissions), which is then renamed over it. A reader
/// sees the old file or the new one, never half of either; a failure leaves the original as it was.
enum AtomicFile {
    struct WriteError: UserFacingError, Equatable {
        var path: String
        var reason: String
        var userMessage: String { "cannot write \(path): \(reason); the file was not changed" }
    }

    /// Replaces the file at `url` (following a symbolic link to the real file).
    static func replace(_ url: URL, with data: Data, displayPath: String) throws(WriteError) {
        let target = url.resolvingSymlinksInPath()
        let mode = (try? FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int) ?? 0o644
        let temporary = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).evoform-\(UUID().uuidString.prefix(8))").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode_t(0o600))
        guard descriptor >= 0 else {
            throw WriteError(path: displayPath, reason: "cannot create a file in its folder (\(Self.errorText()))")
        }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = Self.errorText()
                    return
                }
                offset += written
            }
        }
        if failure == nil, fchmod(descriptor, mode_t(mode)) != 0 { failure = Self.errorText() }
        if failure == nil, fsync(descriptor) != 0 { failure = Self.errorText() }
        close(descriptor)
        if failure == nil, rename(temporary, target.path) != 0 { failure = Self.errorText() }
        if let failure {
            unlink(temporary)
            throw WriteError(path: displayPath, reason: failure)
        }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
