// libFuzzer target for the manifest reader and loader (`JSONCReader`, `ManifestLoader`).
// Built and run by `Tests/Fuzz/run.sh manifest SECONDS`; not part of the SwiftPM package.
//
// Every input is a manifest file's bytes. It is loaded with `requireVariables: true` (plan,
// apply) and again with `false` (validate), against a small fixed environment. Besides "never
// crash", the harness checks what the module promises (EvoformManifest/README.md):
// - a failed load carries at least one error, every diagnostic names the file and points at a
//   line and column that exist in the input, and errors come in file order;
// - a diagnostic about a secret (`token`, `chatwoot_token`, `chatwootToken`, `server.apiKey`)
//   never shows the secret: neither the value written in the file nor one read from the
//   environment;
// - a loaded manifest renders its events diagnostics for both API versions, keeps secrets out
//   of `configuration`, and names only instances it has a location for;
// - the two modes agree: every error of validate (`false`) is an error of plan (`true`), and
//   plan's extra errors are unset variables; a manifest plan loads, validate loads the same.
// A broken promise is a `fatalError`, which libFuzzer reports as a crash with the input saved.

import EvoformCore
import EvoformManifest
import Foundation

/// The environment every input is loaded with: the variables the examples and fixtures use,
/// secrets with recognisable values, an empty one (for `${VAR:-default}`) and one whose value
/// looks like a reference (it must not be expanded again).
let fuzzEnvironment: [String: String] = [
    "EVOLUTION_API_URL": "http://127.0.0.1:8080",
    "EVOLUTION_API_KEY": "fzApiKeySecret7q",
    "SALES01_TOKEN": "fzTokenSecret1q",
    "SUPPORT01_TOKEN": "fzTokenSecret2q",
    "HELPDESK_TOKEN": "fzTokenSecret3q",
    "CHATWOOT_TOKEN": "fzChatwootSecret4q",
    "CW_TOKEN": "fzChatwootSecret5q",
    "HOOKS_BASE_URL": "https://hooks.example.com",
    "HOOKS_URL": "https://hooks.example.com/evolution",
    "NAME": "sales01",
    "EMPTY": "",
    "LOOKS_LIKE_REFERENCE": "${NAME}",
]

/// Environment values that are secrets: no diagnostic about a secret field may contain them.
let environmentSecrets = fuzzEnvironment.filter { $0.key.hasSuffix("_TOKEN") || $0.key.hasSuffix("_KEY") }.map(\.value)

/// Keys whose values are secrets wherever the manifest language accepts them.
let secretKeys: Set<String> = ["token", "chatwoot_token", "chatwootToken", "apiKey"]

@_cdecl("LLVMFuzzerTestOneInput")
public func manifestFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let plan = check(bytes, requireVariables: true)
    let validate = check(bytes, requireVariables: false)
    switch (plan, validate) {
    case (.success(let planned), .success(let validated)):
        // Validate may warn more (an unset server.url or server.apiKey variable).
        guard planned.manifest.instances == validated.manifest.instances,
            Set(planned.warnings).isSubset(of: validated.warnings)
        else {
            fatalError("invariant: validate loads another manifest than plan")
        }
    case (.success, .failure(let error)):
        fatalError("invariant: plan loads, validate fails: \(error.userMessage)")
    case (.failure(let planError), .success(let validated)):
        let onlyVariables = planError.errors.allSatisfy { $0.message.hasPrefix("environment variable ") }
        guard onlyVariables, !validated.warnings.isEmpty else {
            fatalError("invariant: validate loads, plan fails for more than unset variables: \(planError.userMessage)")
        }
    case (.failure(let planError), .failure(let validateError)):
        let planErrors = Set(planError.errors)
        for error in validateError.errors where !planErrors.contains(error) {
            fatalError("invariant: a validate error that plan does not report: \(error)")
        }
        for error in planErrors.subtracting(validateError.errors) where !error.message.hasPrefix("environment variable ") {
            fatalError("invariant: a plan error that validate does not report: \(error)")
        }
    }
    return 0
}

func check(_ bytes: [UInt8], requireVariables: Bool) -> Result<LoadedManifest, ManifestError> {
    let path = "fuzz.jsonc"
    do {
        let loaded = try ManifestLoader.load(
            contents: Data(bytes), path: path, environment: fuzzEnvironment, requireVariables: requireVariables)
        checkDiagnostics(loaded.warnings, in: bytes, path: path)
        for version in APIVersion.allCases {
            let events = loaded.eventDiagnostics(for: version)
            checkDiagnostics(events, in: bytes, path: path)
            for diagnostic in events where diagnostic.severity != .error {
                fatalError("invariant: an events diagnostic is not an error: \(diagnostic)")
            }
        }
        for instance in loaded.manifest.instances {
            guard loaded.manifest.locations[instance.name] != nil else {
                fatalError("invariant: instance \(instance.name) has no location")
            }
            guard !instance.configuration.values.keys.contains(where: \.isSecret),
                instance.secrets.keys.allSatisfy(\.isSecret)
            else { fatalError("invariant: a secret field in the configuration of \(instance.name)") }
        }
        return .success(loaded)
    } catch {
        guard !error.errors.isEmpty else { fatalError("invariant: a ManifestError without errors") }
        guard error.errors.allSatisfy({ $0.severity == .error }),
            error.warnings.allSatisfy({ $0.severity == .warning })
        else { fatalError("invariant: errors and warnings are mixed up") }
        checkDiagnostics(error.errors, in: bytes, path: path)
        checkDiagnostics(error.warnings, in: bytes, path: path)
        _ = error.userMessage
        _ = error.diagnostics.map(\.json.canonicalText)
        return .failure(error)
    }
}

/// Positions exist in the input, the list is in file order, and no secret is shown.
func checkDiagnostics(_ diagnostics: [Diagnostic], in bytes: [UInt8], path: String) {
    let widths = lineWidths(bytes)
    let secrets = secretValues(in: bytes)
    var previous: SourceLocation?
    for diagnostic in diagnostics {
        guard diagnostic.file == path else { fatalError("invariant: diagnostic names another file: \(diagnostic)") }
        guard diagnostic.line >= 1, diagnostic.line <= widths.count, diagnostic.column >= 1,
            diagnostic.column <= widths[diagnostic.line - 1] + 1
        else {
            fatalError("invariant: position outside the input (\(widths.count) lines): \(diagnostic)")
        }
        if let previous, diagnostic.location < previous {
            fatalError("invariant: diagnostics out of file order: \(diagnostic) after \(previous)")
        }
        previous = diagnostic.location
        guard !diagnostic.message.isEmpty else { fatalError("invariant: empty message at \(diagnostic.location)") }
        if let last = lastKey(of: diagnostic.path), secretKeys.contains(last) {
            for secret in environmentSecrets where diagnostic.message.contains(secret) {
                fatalError("invariant: a secret read from the environment is shown: \(diagnostic.path)")
            }
            for secret in secrets[diagnostic.path, default: []] where diagnostic.message.contains(secret) {
                fatalError("invariant: a secret written in the file is shown: \(diagnostic.path)")
            }
        }
    }
}

/// The number of columns of each line, counted the way the reader counts them (Unicode scalars,
/// i.e. bytes that are not UTF-8 continuation bytes; a BOM is not a column). Lines end at LF,
/// CRLF or a lone CR.
func lineWidths(_ bytes: [UInt8]) -> [Int] {
    var widths: [Int] = []
    var width = 0
    var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    while index < bytes.count {
        let byte = bytes[index]
        if byte == 0x0A || (byte == 0x0D && (index + 1 >= bytes.count || bytes[index + 1] != 0x0A)) {
            widths.append(width)
            width = 0
        } else if byte == 0x0D {
            // CR of a CRLF: the LF ends the line.
        } else if byte & 0xC0 != 0x80 {
            width += 1
        }
        index += 1
    }
    widths.append(width)
    return widths
}

/// The last key of a rendered JSON path (`instances[2].token` -> `token`), or nil for an index.
func lastKey(of path: String) -> String? {
    guard !path.isEmpty, path.last != "]" else { return nil }
    if let dot = path.lastIndex(of: ".") { return String(path[path.index(after: dot)...]) }
    if path.contains("[") { return nil }
    return path
}

/// String values written at secret keys, by the path messages would name them with (only
/// paths made of plain identifiers and indexes; others cannot be settings). Values shorter than
/// 6 characters are left out: such text may appear in a message by coincidence.
func secretValues(in bytes: [UInt8]) -> [String: [String]] {
    guard let document = try? JSONCReader.read(bytes), let root = document.root else { return [:] }
    var found: [String: [String]] = [:]
    func visit(_ node: JSONCNode, path: String) {
        switch node.value {
        case .object(let members):
            for member in members {
                guard isIdentifier(member.key) else { continue }
                let childPath = path.isEmpty ? member.key : path + "." + member.key
                if secretKeys.contains(member.key), case .string(let text) = member.value.value,
                    text.unicodeScalars.count >= 6
                {
                    found[childPath, default: []].append(text)
                }
                visit(member.value, path: childPath)
            }
        case .array(let items):
            for (offset, item) in items.enumerated() { visit(item, path: path + "[\(offset)]") }
        default:
            break
        }
    }
    visit(root, path: "")
    return found
}

func isIdentifier(_ key: String) -> Bool {
    guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
    return key.utf8.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"):
            true
        default:
            false
        }
    }
}
