import Foundation
import Hummingbird

/// Requires `Authorization: Bearer <token>` on every route but the public ones (`/healthz`),
/// decided on the normalized path, deny by default: `//v1/jobs`, `/./v1/jobs` or `/V1/jobs`
/// need the token as `/v1/jobs` does, whatever the router makes of them. HLS reads of one job
/// (`GET`/`HEAD /v1/jobs/{id}/hls/{file}`) are also opened by that job's playback token
/// (`?sig=`, see `PlaybackSigner`): players need no header, and the pool's token never travels
/// in a URL.
public struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The expected token; nil disables checking (`--insecure-no-auth`).
    let token: String?
    let signer: PlaybackSigner?

    /// Creates the middleware.
    public init(token: String?) {
        self.token = token
        self.signer = PlaybackSigner(poolToken: token)
    }

    /// Normalized paths anyone may read: health, the dashboard's static files (they hold no
    /// data), and `/metrics` (its route checks the pool token or `--metrics-token` itself).
    static var publicPaths: Set<String> { bearerPublicPaths }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token, !Self.publicPaths.contains(Self.normalized(request.uri.path)) else {
            return try await next(request, context)
        }
        if let presented = request.headers[.authorization].flatMap(Self.bearer), Self.constantTimeEquals(presented, token) {
            return try await next(request, context)
        }
        if let jobID = Self.hlsJob(request), let sig = request.uri.queryParameters[Substring(PlaybackSigner.queryName)], let signer {
            switch signer.verify(String(sig), jobID: jobID) {
            case .valid: return try await next(request, context)
            case .expired: throw APIError(.unauthorized, "This playback link has expired: ask for the job again for a fresh playlist_url.")
            case .invalid: throw APIError(.forbidden, "This playback signature is not valid for job '\(jobID)'.")
            }
        }
        throw APIError.unauthorized
    }

    /// The token of a `Bearer` header value.
    static func bearer(_ value: String) -> String? {
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].utf8.elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 }) else { return nil }
        let token = parts[1].utf8
        // Nothing to trim at either end (the common case, and the heartbeat's: Foundation's
        // trimming was a tenth of a heartbeat's time): no space, tab or non-ASCII byte there.
        if let first = token.first, let last = token.last, !mayBeTrimmed(first), !mayBeTrimmed(last) { return String(parts[1]) }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    /// Whether `CharacterSet.whitespaces` may hold the character this byte starts or ends:
    /// in ASCII only space and tab are in it.
    private static func mayBeTrimmed(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte >= 0x80
    }

    /// The path as a router may read it: empty and `.` segments dropped, percent-escapes
    /// decoded, lower case. Only ever used to decide that something is public.
    static func normalized(_ path: String) -> String {
        if isNormal(path) { return path }
        let decoded = path.removingPercentEncoding ?? path
        let segments = decoded.split(separator: "/").filter { $0 != "." }
        return "/" + segments.joined(separator: "/").lowercased()
    }

    /// Whether `normalized` would give the path back as it is (the common case, decided
    /// without decoding, splitting and joining): lower-case ASCII, no escapes, no empty or `.`
    /// segment, no trailing `/`.
    static func isNormal(_ path: String) -> Bool {
        let bytes = path.utf8
        guard bytes.first == UInt8(ascii: "/") else { return false }
        if bytes.count == 1 { return true }
        var previous = UInt8(ascii: "/"), beforePrevious = UInt8(0)
        for byte in bytes.dropFirst() {
            if byte == UInt8(ascii: "%") || byte >= 0x80 || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) { return false }
            if byte == UInt8(ascii: "/") && (previous == UInt8(ascii: "/") || (previous == UInt8(ascii: ".") && beforePrevious == UInt8(ascii: "/"))) {
                return false
            }
            beforePrevious = previous
            previous = byte
        }
        return previous != UInt8(ascii: "/") && !(previous == UInt8(ascii: ".") && beforePrevious == UInt8(ascii: "/"))
    }

    /// The job id of an HLS read (`GET`/`HEAD /v1/jobs/{id}/hls/{file}`) in its plain spelling
    /// only, else nil: a signature never opens an odd spelling of a path.
    static func hlsJob(_ request: Request) -> String? {
        guard request.method == .get || request.method == .head else { return nil }
        let parts = request.uri.path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0].isEmpty, parts[1] == "v1", parts[2] == "jobs", parts[4] == "hls", !parts[5].isEmpty,
              !parts[3].contains("%"), parts[3] != ".", parts[3] != ".."
        else { return nil }
        return String(parts[3])
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

/// `BearerAuthMiddleware.publicPaths`, made once (a generic type cannot store it).
private let bearerPublicPaths: Set<String> = ["/healthz", "/", "/dashboard/app.css", "/dashboard/app.js", "/metrics"]

extension Router {
    /// What both services put in front of their routes: CORS (preflights answered without a
    /// token, so a page on another origin can play), then the token check.
    public func addStandardMiddleware(token: String?, routes: KeyValuePairs<String, [HTTPRequest.Method]>) {
        middlewares.add(CORSMiddleware(
            allowOrigin: .all,
            allowHeaders: [.authorization, .range, .contentType, .accept, .origin],
            allowMethods: [.get, .head, .options, .post, .put, .patch, .delete],
            exposedHeaders: ["Content-Length", "Content-Range", "Accept-Ranges", "ETag"],
            maxAge: .seconds(600)
        ))
        middlewares.add(BearerAuthMiddleware(token: token))
        middlewares.add(AllowedMethods(routes))
    }
}
