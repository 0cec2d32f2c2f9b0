import EvoformCore
import EvoformManifest
import EvoformRemote
import Foundation

/// Where the server is and how to reach it: `--server`/`--api-key`, else `EVOLUTION_API_URL` /
/// `EVOLUTION_API_KEY`, else the manifest's `server` block.
struct ServerConnectionSettings {
    var endpoint: ServerEndpoint
    /// The URL as shown in messages and recorded in the state (no credentials).
    var displayURL: String

    static func resolve(
        _ arguments: ParsedArguments, context: CommandContext, manifest: Manifest, required: Bool
    ) throws -> ServerConnectionSettings {
        let urlText = arguments.value("server") ?? context.environment["EVOLUTION_API_URL"] ?? manifest.server.url
        let key = arguments.value("api-key").map(Secret.init) ?? context.environment["EVOLUTION_API_KEY"].map(Secret.init)
            ?? manifest.server.apiKey
        let timeout = try timeoutSeconds(arguments)
        let insecure = arguments.flag("insecure") || manifest.server.insecure
        guard let urlText, !urlText.isEmpty else {
            if !required {
                return ServerConnectionSettings(
                    endpoint: ServerEndpoint(url: URL(string: "http://127.0.0.1")!, apiKey: Secret(""), version: manifest.server.apiVersion),
                    displayURL: "")
            }
            throw ConnectionSettingsError.missingServer
        }
        guard let url = URL(string: urlText), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty
        else {
            throw ConnectionSettingsError.badServerURL(urlText)
        }
        let apiKey = key ?? Secret("")
        if required, apiKey.revealed.isEmpty { throw ConnectionSettingsError.missingKey }
        if scheme == "http", !isLoopback(host), required {
            context.standardError.line(
                "Warning: the API key travels unencrypted over plain http to \(host); use https outside a trusted network.")
        }
        let display = urlText.hasSuffix("/") ? String(urlText.dropLast()) : urlText
        let endpoint = ServerEndpoint(
            url: url, apiKey: apiKey, version: manifest.server.apiVersion, timeoutSeconds: timeout, insecure: insecure,
            caFile: caFile(arguments, context: context, manifest: manifest))
        // A proxy variable that cannot be used, no OpenSSL, an unreadable CA file: refused before
        // any request, rather than bypassing a proxy or saying "off" while verifying.
        if required, let problem = HTTPTransportFactory.connectionSettingsProblem(for: endpoint, environment: context.environment) {
            throw ConnectionSettingsError.connectionSettingsUnusable(problem)
        }
        if scheme == "https" {
            if insecure {
                context.standardError.line("Warning: TLS certificate verification is off (--insecure); use it only for testing.")
            }
        }
        return ServerConnectionSettings(endpoint: endpoint, displayURL: display)
    }

    /// `--ca-file` (relative to the working directory), else `server.caFile` (relative to the
    /// manifest's directory), as an absolute path.
    static func caFile(_ arguments: ParsedArguments, context: CommandContext, manifest: Manifest) -> String? {
        if let path = arguments.value("ca-file") {
            return URL(fileURLWithPath: path, relativeTo: context.workingDirectory).standardizedFileURL.path
        }
        guard let path = manifest.server.caFile else { return nil }
        let manifestDirectory = URL(fileURLWithPath: manifest.path, relativeTo: context.workingDirectory)
            .deletingLastPathComponent()
        return URL(fileURLWithPath: path, relativeTo: manifestDirectory).standardizedFileURL.path
    }

    static func timeoutSeconds(_ arguments: ParsedArguments) throws -> Int {
        guard let text = arguments.value("timeout") else { return 30 }
        guard let value = Int(text), value >= 1, value <= 3600 else {
            throw UsageError("--timeout takes whole seconds from 1 to 3600, not \"\(text)\"")
        }
        return value
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }
}

enum ConnectionSettingsError: UserFacingError {
    case missingServer
    case badServerURL(String)
    case missingKey
    /// The connection settings cannot be honoured here (a proxy variable, no OpenSSL, an
    /// unreadable CA file); the reason says which.
    case connectionSettingsUnusable(String)

    var userMessage: String {
        switch self {
        case .missingServer:
            "no server URL: pass --server URL, set EVOLUTION_API_URL, or set server.url in the manifest"
        case .badServerURL(let text):
            "the server URL \"\(text)\" is not an absolute http(s) URL (example: https://evolution.example.com)"
        case .missingKey:
            "no API key: pass --api-key, set EVOLUTION_API_KEY, or set server.apiKey in the manifest (as \"${VAR}\")"
        case .connectionSettingsUnusable(let reason):
            reason
        }
    }
}
