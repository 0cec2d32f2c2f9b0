import Foundation

/// One HTTP response, serialised by the connection that sends it.
struct HTTPResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// A HEAD answer: headers as for GET, no body bytes.
    var omitsBody = false

    init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers.map { (name: $0.0, value: $0.1) }
        self.body = body
    }

    /// A JSON response as Express's `res.json` writes it.
    static func json(_ status: Int, _ value: WireJSON) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: [("Content-Type", "application/json; charset=utf-8")],
            body: Array(value.text.utf8))
    }

    /// The bytes on the wire. `keepAlive` decides the `Connection` header.
    func serialized(keepAlive: Bool, date: String) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reason(for: status))\r\n"
        head += "X-Powered-By: Express\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        head += "Content-Length: \(body.count)\r\n"
        head += "Date: \(date)\r\n"
        head += keepAlive ? "Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n" : "Connection: close\r\n\r\n"
        var bytes = Array(head.utf8)
        if !omitsBody { bytes.append(contentsOf: body) }
        return bytes
    }

    static func reason(for status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 411: "Length Required"
        case 413: "Payload Too Large"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 505: "HTTP Version Not Supported"
        default: "Unknown"
        }
    }
}

/// The `Date` header value, recomputed at most once per second.
final class HTTPDateCache: @unchecked Sendable {
    private var second: Int = -1
    private var value = ""
    private let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }()

    /// Only ever called from the server's I/O thread.
    func current() -> String {
        let now = Date()
        let whole = Int(now.timeIntervalSince1970)
        if whole != second {
            second = whole
            value = formatter.string(from: now)
        }
        return value
    }
}
