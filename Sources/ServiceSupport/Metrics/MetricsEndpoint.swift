import Foundation
import Hummingbird

/// `GET /metrics`: the Prometheus text format, for the pool's token or a separate
/// `--metrics-token` (a scraper need not hold the token that steers the pool).
public struct MetricsEndpoint: Sendable {
    /// The pool token; nil with `--insecure-no-auth`.
    public var poolToken: String?
    /// A token that opens `/metrics` only.
    public var metricsToken: String?
    /// Whether metrics are collected (`--no-metrics` turns them off).
    public var enabled: Bool
    /// Sets the gauges read from state (workers by status, jobs by state) just before export.
    public var refresh: @Sendable () async -> Void

    /// Creates the endpoint.
    public init(poolToken: String?, metricsToken: String?, enabled: Bool, refresh: @escaping @Sendable () async -> Void) {
        self.poolToken = poolToken
        self.metricsToken = metricsToken
        self.enabled = enabled
        self.refresh = refresh
    }

    /// Adds `GET /metrics` to the router.
    public func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/metrics") { request, _ in
            try authorize(request)
            guard enabled else { throw APIError.notFound("Metrics are off (--no-metrics).") }
            await refresh()
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: ServiceMetrics.exposition())))
        }
    }

    /// Lets through the pool token or the metrics token; with neither configured, anyone.
    func authorize(_ request: Request) throws {
        let accepted = [poolToken, metricsToken].compactMap { $0 }
        guard !accepted.isEmpty else { return }
        guard let presented = request.headers[.authorization].flatMap(BearerAuthMiddleware<BasicRequestContext>.bearer),
              accepted.contains(where: { BearerAuthMiddleware<BasicRequestContext>.constantTimeEquals(presented, $0) })
        else { throw APIError.unauthorized }
    }
}
