import EvoformCore
import Foundation

/// Reads a manifest: JSONC text -> positioned tree -> `${VAR}` interpolation -> validation ->
/// `Manifest`. Every problem is collected before failing.
public enum ManifestLoader {
    /// Loads a manifest from its bytes.
    ///
    /// - Parameters:
    ///   - path: the file as the user named it; every diagnostic starts with it.
    ///   - requireVariables: true for commands that need the values (plan, apply, ...): a variable
    ///     that is not set is an error. False for `validate`: a warning, and checks that need the
    ///     value are skipped. (`server.url`/`server.apiKey` are never load errors: see
    ///     `ServerSettings.unresolved`.)
    /// - Throws: `ManifestError` with every error and the warnings.
    public static func load(
        contents: Data, path: String, environment: [String: String], requireVariables: Bool
    ) throws(ManifestError) -> LoadedManifest {
        let bytes = [UInt8](contents)
        let document: JSONCDocument
        do {
            document = try JSONCReader.read(bytes)
        } catch {
            throw ManifestError(syntax: error, path: path)
        }
        guard let root = document.root else {
            throw ManifestError(
                path: path,
                errors: [
                    Diagnostic(
                        file: path, line: 1, column: 1, path: "", severity: .error,
                        message:
                            "the manifest is empty; write a JSON object such as {\"instances\": [{\"instanceName\": \"sales01\"}]}"
                    )
                ])
        }
        var decoder = ManifestDecoder(file: path, environment: environment, requireVariables: requireVariables)
        decoder.documentHasDuplicateKeys = !document.problems.isEmpty
        for problem in document.problems {
            decoder.diagnostics.append(
                Diagnostic(
                    file: path, line: problem.line, column: problem.column, path: problem.path, severity: .error,
                    message: problem.message))
        }
        let manifest = decoder.decode(root, contents: contents)
        let diagnostics = Diagnostic.sortedByPosition(decoder.diagnostics)
        let errors = diagnostics.filter { $0.severity == .error }
        let warnings = diagnostics.filter { $0.severity == .warning }
        guard errors.isEmpty else {
            throw ManifestError(path: path, errors: errors, warnings: warnings, instanceCount: decoder.instanceCount)
        }
        return LoadedManifest(manifest: manifest, warnings: warnings)
    }

    /// Loads the manifest file at `url`; `displayPath` is how messages name it.
    /// A missing or unreadable file is a `ManifestError` naming the path.
    public static func load(
        fileAt url: URL, displayPath: String, environment: [String: String], requireVariables: Bool
    ) throws(ManifestError) -> LoadedManifest {
        let contents = try contents(ofFileAt: url, displayPath: displayPath)
        return try load(
            contents: contents, path: displayPath, environment: environment, requireVariables: requireVariables)
    }

    /// The bytes of the manifest file at `url`. A missing or unreadable file is a `ManifestError`
    /// naming `displayPath` (`FILE: message`), as `load(fileAt:...)` reports it.
    public static func contents(ofFileAt url: URL, displayPath: String) throws(ManifestError) -> Data {
        do {
            return try readFile(at: url)
        } catch {
            throw ManifestError(
                path: displayPath,
                errors: [
                    Diagnostic(
                        file: displayPath, line: 0, column: 0, path: "", severity: .error, message: error.message)
                ])
        }
    }

    private struct ReadFailure: Error {
        var message: String
    }

    private static func readFile(at url: URL) throws(ReadFailure) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw ReadFailure(
                message: "no such file; create the manifest, or name another one with -f FILE or EVOFORM_FILE")
        }
        if isDirectory.boolValue {
            throw ReadFailure(message: "is a directory, not a manifest file; name the file with -f FILE")
        }
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw ReadFailure(message: "cannot be read (permission denied); check the file's permissions")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw ReadFailure(message: "cannot be read; check that it is a regular, readable file")
        }
    }
}
