import Hummingbird

/// 405 with `Allow` for a route asked with a method it does not have (the router alone
/// answers 404, which tells a client nothing). Each service lists its routes once, beside
/// where it adds them.
public struct AllowedMethods<Context: RequestContext>: RouterMiddleware {
    /// Path patterns (`:name` matches one segment) and their methods.
    let routes: [(pattern: [Substring], methods: [HTTPRequest.Method])]

    /// Creates the check from `"/v1/jobs/:job_id": [.get, .put, .delete]`-style entries.
    public init(_ routes: KeyValuePairs<String, [HTTPRequest.Method]>) {
        self.routes = routes.map { ($0.key.split(separator: "/"), $0.value) }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let segments = request.uri.path.split(separator: "/")
        guard let route = routes.first(where: { Self.matches($0.pattern, segments) }) else {
            return try await next(request, context)
        }
        var allowed = route.methods
        if allowed.contains(.get) { allowed.append(.head) }
        allowed.append(.options)
        guard allowed.contains(request.method) else {
            let list = allowed.map(\.rawValue).joined(separator: ", ")
            throw APIError(.methodNotAllowed, "\(request.method.rawValue) is not allowed here; allowed: \(list).", headers: [.allow: list])
        }
        return try await next(request, context)
    }

    static func matches(_ pattern: [Substring], _ segments: [Substring]) -> Bool {
        pattern.count == segments.count && zip(pattern, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
    }
}
