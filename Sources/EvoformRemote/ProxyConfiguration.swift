import EvoformCore
import Foundation

/// The proxies the environment configures, read as curl reads them: `http_proxy`/`HTTP_PROXY`
/// for `http` URLs, `https_proxy`/`HTTPS_PROXY` for `https`, `all_proxy`/`ALL_PROXY` for either,
/// and `no_proxy`/`NO_PROXY` for the hosts reached directly (the lowercase name first each time).
public struct ProxyConfiguration: Sendable, Equatable {
    /// One proxy, reached over plain http: `CONNECT` for https targets (TLS then runs end to
    /// end through the tunnel), absolute-form requests for http targets.
    public struct Proxy: Sendable, Equatable {
        public var host: String
        public var port: Int
        /// `user:password` from the proxy URL, sent as `Proxy-Authorization: Basic`; never shown.
        public var credentials: Secret?
        /// The variable it came from, e.g. `https_proxy`.
        public var variable: String

        /// How messages name the proxy: `http://host:port (https_proxy)`, never the credentials.
        public var displayName: String {
            let shownHost = host.contains(":") ? "[\(host)]" : host
            return "http://\(shownHost):\(port) (\(variable))"
        }

        /// The `Proxy-Authorization` header value, if the URL carried credentials.
        var authorization: String? {
            credentials.map { "Basic " + Data($0.revealed.utf8).base64EncodedString() }
        }
    }

    /// The proxy for `http` URLs, or why its variable cannot be used (an error only for the
    /// URLs that would go through it: a `socks5://` proxy for other tools is no obstacle to a
    /// server listed in `no_proxy`).
    public var http: Result<Proxy, ProxyConfigurationError>?
    /// The same for `https` URLs.
    public var https: Result<Proxy, ProxyConfigurationError>?
    /// `no_proxy` entries: lowercased, without a leading dot or a port; `*` matches every host.
    public var exclusions: [String]

    public static let none = ProxyConfiguration(http: nil, https: nil, exclusions: [])

    public init(
        http: Result<Proxy, ProxyConfigurationError>?, https: Result<Proxy, ProxyConfigurationError>?, exclusions: [String]
    ) {
        self.http = http
        self.https = https
        self.exclusions = exclusions
    }

    /// Reads the variables. A proxy URL evoform cannot use is kept as an error naming the
    /// variable (never its value, which may hold a password), raised by `proxy(for:)`.
    public static func from(_ environment: [String: String]) -> ProxyConfiguration {
        func first(_ names: [String]) -> Result<Proxy, ProxyConfigurationError>? {
            for name in names {
                if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                    return Result { () throws(ProxyConfigurationError) in try parse(value, variable: name) }
                }
            }
            return nil
        }
        let all = first(["all_proxy", "ALL_PROXY"])
        let noProxy = ["no_proxy", "NO_PROXY"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        return ProxyConfiguration(
            http: first(["http_proxy", "HTTP_PROXY"]) ?? all, https: first(["https_proxy", "HTTPS_PROXY"]) ?? all,
            exclusions: noProxy.split(separator: ",").compactMap { normalizedExclusion(String($0)) })
    }

    /// The proxy for a request to `url`, or nil to connect directly; an error when the proxy
    /// variable that applies cannot be used.
    public func proxy(for url: URL) throws(ProxyConfigurationError) -> Proxy? {
        let proxy: Result<Proxy, ProxyConfigurationError>?
        switch url.scheme?.lowercased() {
        case "http": proxy = http
        case "https": proxy = https
        default: return nil
        }
        guard let proxy, var host = URLComponents(url: url, resolvingAgainstBaseURL: false)?.host?.lowercased() else {
            return nil
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return Self.isExcluded(host, by: exclusions) ? nil : try proxy.get()
    }

    /// `no_proxy` matching: `*` matches all; an IP literal only itself; a name itself and its
    /// subdomains (`example.com` and `.example.com` both match `api.example.com`).
    static func isExcluded(_ host: String, by exclusions: [String]) -> Bool {
        if host.hasSuffix(".") { return isExcluded(String(host.dropLast()), by: exclusions) }
        let hostIsAddress = isIPAddress(host)
        return exclusions.contains { entry in
            if entry == "*" || entry == host { return true }
            if hostIsAddress || isIPAddress(entry) { return false }
            return host.hasSuffix("." + entry)
        }
    }

    /// An entry without spaces, brackets, leading dots or a port, lowercased; nil if empty.
    static func normalizedExclusion(_ raw: String) -> String? {
        var entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if entry.hasPrefix("[") {
            // [v6]:port or [v6]
            guard let close = entry.firstIndex(of: "]") else { return nil }
            entry = String(entry[entry.index(after: entry.startIndex)..<close])
        } else if entry.filter({ $0 == ":" }).count == 1, let colon = entry.firstIndex(of: ":") {
            entry = String(entry[..<colon])  // host:port (a bare IPv6 address has several colons)
        }
        while entry.hasPrefix(".") { entry.removeFirst() }
        while entry.hasSuffix(".") { entry.removeLast() }
        return entry.isEmpty ? nil : entry
    }

    static func isIPAddress(_ text: String) -> Bool {
        if text.contains(":") { return text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber) }
    }

    /// `http://[user:password@]host[:port][/]`, or `host[:port]` (http implied, as curl does).
    static func parse(_ value: String, variable: String) throws(ProxyConfigurationError) -> Proxy {
        let text = value.contains("://") ? value : "http://" + value
        let scheme = text.prefix { $0 != ":" }.lowercased()
        guard scheme == "http" else {
            if scheme == "https" {
                throw ProxyConfigurationError(
                    variable: variable,
                    reason: "is an https:// proxy URL, which evoform does not support (a TLS connection to the proxy itself); "
                        + "use the proxy's http:// URL (https requests still go through it encrypted end to end, with CONNECT)")
            }
            throw ProxyConfigurationError(
                variable: variable, reason: "uses the \(scheme):// scheme; evoform supports only http:// proxies")
        }
        guard let components = URLComponents(string: text), let rawHost = components.host, !rawHost.isEmpty else {
            throw ProxyConfigurationError(variable: variable, reason: "is not a proxy URL like http://HOST:PORT")
        }
        var host = rawHost
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let path = components.percentEncodedPath
        guard path.isEmpty || path == "/", components.query == nil, components.fragment == nil else {
            throw ProxyConfigurationError(variable: variable, reason: "has a path; a proxy URL is http://HOST:PORT")
        }
        var credentials: Secret?
        if let user = components.user {
            credentials = Secret(user + ":" + (components.password ?? ""))
        }
        // curl's default proxy port.
        return Proxy(host: host, port: components.port ?? 1080, credentials: credentials, variable: variable)
    }
}

/// A proxy variable evoform cannot use.
public struct ProxyConfigurationError: Error, Sendable, Equatable {
    public var variable: String
    public var reason: String

    /// One sentence naming the variable, never its value.
    public var message: String { "the proxy in \(variable) \(reason); fix or unset \(variable)" }
}
