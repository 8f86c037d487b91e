import CurlHTTP
import Foundation

/// Real HTTP calls to a service, with its token.
public struct API: Sendable {
    /// `http://127.0.0.1:<port>`.
    public var baseURL: String
    /// Bearer token, nil for none.
    public var token: String?
    private let client = HTTPClient()

    /// Creates a caller.
    public init(_ baseURL: String, token: String?) {
        self.baseURL = baseURL
        self.token = token
    }

    /// Sends a request with an optional JSON body (a string, sent as is).
    public func call(_ method: String, _ path: String, body: String? = nil, timeout: Duration = .seconds(30)) async throws -> HTTPResponse {
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try await client.send(HTTPRequest(method: method, url: baseURL + path, headers: headers, body: body.map { Data($0.utf8) }, timeout: timeout))
    }

    /// Sends a value encoded as JSON.
    public func call(_ method: String, _ path: String, json: some Encodable) async throws -> HTTPResponse {
        try await call(method, path, body: String(decoding: try JSONEncoder().encode(json), as: UTF8.self))
    }

    /// GET and decode JSON as a dictionary.
    public func object(_ path: String) async throws -> [String: Any] {
        let response = try await call("GET", path)
        return (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
    }
}

extension HTTPResponse {
    /// The body as a JSON object, or empty.
    public var object: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
}
