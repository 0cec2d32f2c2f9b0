/// An endpoint of the imitated server.
enum APIEndpoint: String, Sendable, CaseIterable {
    case root
    case verifyCredentials
    case create
    case fetchInstances
    case connectionState
    case connect
    case restart
    case logout
    case delete
    case webhookSet
    case webhookFind
    case chatwootSet
    case chatwootFind
    case settingsSet
    case settingsFind
}

/// One route: a method and a path pattern. Patterns with a `:instanceName` segment run the
/// instance guards.
struct APIRoute: Sendable {
    var method: String
    var pattern: String
    var endpoint: APIEndpoint

    /// The literal segments and `nil` for the parameter.
    var segments: [String?] {
        pattern.split(separator: "/").map { $0 == ":instanceName" ? nil : String($0) }
    }

    var hasInstanceParameter: Bool { pattern.contains(":instanceName") }

    /// How the route is named in counters and logs, e.g. `POST /instance/create`.
    var name: String { "\(method) \(pattern)" }

    /// The routes of one server version.
    static func table(for version: SimulatedAPIVersion) -> [APIRoute] {
        var routes = [
            APIRoute(method: "GET", pattern: "/", endpoint: .root),
            APIRoute(method: "POST", pattern: "/instance/create", endpoint: .create),
            APIRoute(method: "GET", pattern: "/instance/fetchInstances", endpoint: .fetchInstances),
            APIRoute(method: "GET", pattern: "/instance/connectionState/:instanceName", endpoint: .connectionState),
            APIRoute(method: "GET", pattern: "/instance/connect/:instanceName", endpoint: .connect),
            APIRoute(method: "DELETE", pattern: "/instance/logout/:instanceName", endpoint: .logout),
            APIRoute(method: "DELETE", pattern: "/instance/delete/:instanceName", endpoint: .delete),
            APIRoute(method: "POST", pattern: "/webhook/set/:instanceName", endpoint: .webhookSet),
            APIRoute(method: "GET", pattern: "/webhook/find/:instanceName", endpoint: .webhookFind),
            APIRoute(method: "POST", pattern: "/chatwoot/set/:instanceName", endpoint: .chatwootSet),
            APIRoute(method: "GET", pattern: "/chatwoot/find/:instanceName", endpoint: .chatwootFind),
            APIRoute(method: "POST", pattern: "/settings/set/:instanceName", endpoint: .settingsSet),
            APIRoute(method: "GET", pattern: "/settings/find/:instanceName", endpoint: .settingsFind),
        ]
        switch version {
        case .v1:
            routes.append(APIRoute(method: "PUT", pattern: "/instance/restart/:instanceName", endpoint: .restart))
        case .v2:
            routes.append(APIRoute(method: "POST", pattern: "/instance/restart/:instanceName", endpoint: .restart))
            routes.append(APIRoute(method: "POST", pattern: "/verify-creds", endpoint: .verifyCredentials))
        }
        return routes
    }
}

/// A matched route and its decoded instance name.
struct RouteMatch {
    var route: APIRoute
    /// The decoded `:instanceName`, nil for routes without one.
    var instanceName: String?
}

/// Express-style matching: literal segments compare case-insensitively on the raw path, a
/// trailing slash is allowed, and the parameter is percent-decoded after matching.
struct APIRouter: Sendable {
    enum Failure: Error {
        /// The parameter is not valid percent-encoding: Express answers 400.
        case undecodableParameter(String)
    }

    let routes: [APIRoute]
    private let compiled: [(route: APIRoute, segments: [String?])]

    init(version: SimulatedAPIVersion) {
        routes = APIRoute.table(for: version)
        compiled = routes.map { ($0, $0.segments.map { $0?.lowercased() }) }
    }

    /// The route for `method` and `rawPath` (without the query), or nil.
    func match(method: String, rawPath: Substring) throws(Failure) -> RouteMatch? {
        var path = rawPath
        if path.count > 1 && path.hasSuffix("/") { path = path.dropLast() }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let requestSegments: [Substring] = path == "/" ? [] : Array(parts)
        let effectiveMethod = method == "HEAD" ? "GET" : method
        for (route, segments) in compiled where route.method == effectiveMethod && segments.count == requestSegments.count {
            var parameter: Substring?
            var matched = true
            for (segment, actual) in zip(segments, requestSegments) {
                if let segment {
                    if segment != actual.lowercased() {
                        matched = false
                        break
                    }
                } else {
                    if actual.isEmpty {
                        matched = false
                        break
                    }
                    parameter = actual
                }
            }
            guard matched else { continue }
            var name: String?
            if let parameter {
                guard let decoded = PercentDecoding.decode(parameter) else {
                    throw .undecodableParameter(String(parameter))
                }
                name = decoded
            }
            return RouteMatch(route: route, instanceName: name)
        }
        return nil
    }
}
