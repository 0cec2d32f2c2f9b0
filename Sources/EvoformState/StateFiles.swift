import Foundation

/// File-system helpers with explicit permissions: the state's folder is 0700 when evoform creates
/// it, its files 0600.
enum StateFiles {
    /// Creates `directory` and any missing parents, each with mode 0700.
    static func makeDirectory(_ directory: String) throws(StateError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StateError.io(path: directory, detail: "it is not a folder")
            }
            return
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != directory { try makeDirectory(parent) }
        if mkdir(directory, 0o700) != 0 {
            let error = errno
            guard error == EEXIST else { throw StateError.io(path: directory, detail: "cannot create the folder: \(describe(error))") }
            return
        }
        chmod(directory, 0o700)
    }

    /// Creates a new empty file with mode 0600; fails if it exists.
    static func createExclusive(_ path: String) throws(StateError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StateError.io(path: path, detail: "cannot create the file: \(describe(errno))") }
        fchmod(descriptor, 0o600)
        close(descriptor)
    }

    /// What is at `path`: nothing, a regular file of some size, or something else.
    enum Entry: Equatable {
        case absent
        case file(size: Int64)
        case other
    }

    static func entry(at path: String) throws(StateError) -> Entry {
        var info = stat()
        if stat(path, &info) != 0 {
            let error = errno
            if error == ENOENT { return .absent }
            throw StateError.io(path: path, detail: describe(error))
        }
        return (info.st_mode & S_IFMT) == S_IFREG ? .file(size: Int64(info.st_size)) : .other
    }

    /// Flushes a folder's entries (after a rename) to disk.
    static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Flushes a file's content to disk.
    static func syncFile(_ path: String) throws(StateError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StateError.io(path: path, detail: describe(errno)) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw StateError.io(path: path, detail: "fsync failed: \(describe(errno))") }
    }

    /// Atomically replaces `destination` with `source`.
    static func rename(_ source: String, to destination: String) throws(StateError) {
        guard Foundation.rename(source, destination) == 0 else {
            throw StateError.io(path: destination, detail: "cannot rename \(source) into place: \(describe(errno))")
        }
        syncDirectory((destination as NSString).deletingLastPathComponent)
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    static func describe(_ error: Int32) -> String { String(cString: strerror(error)) }
}
