import Hummingbird

/// Requires `Authorization: Bearer <token>` on every `/v1` route; others (`/healthz`) stay open.
public struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The expected token; nil disables checking (`--insecure-no-auth`).
    let token: String?

    /// Creates the middleware.
    public init(token: String?) { self.token = token }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token, request.uri.path.hasPrefix("/v1") else {
            return try await next(request, context)
        }
        let presented = request.headers[.authorization].flatMap(Self.bearer)
            ?? Self.queryToken(request)
        guard let presented, Self.constantTimeEquals(presented, token) else {
            throw APIError.unauthorized
        }
        return try await next(request, context)
    }

    /// The token of a `Bearer` header value.
    static func bearer(_ value: String) -> String? {
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    /// HLS players cannot always set headers, so segment reads may carry `?token=`.
    /// Only playlist and segment reads accept it.
    static func queryToken(_ request: Request) -> String? {
        guard request.method == .get || request.method == .head, request.uri.path.contains("/hls/") else { return nil }
        return request.uri.queryParameters["token"].map(String.init)
    }

    /// Compares without leaking the position of the first difference through timing.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return diff == 0
    }
}
