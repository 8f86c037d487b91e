import Hummingbird
import ServiceSupport

/// What the operator's tools read and steer, beside the job API: `/metrics`, drains, and
/// the dashboard with its data.
struct OperatorRoutes {
    let pool: Pool
    let settings: OrchestratorSettings
    let links: PlaybackLinks

    func add(to router: Router<OrchestratorContext>) {
        let pool = pool
        MetricsEndpoint(poolToken: settings.token, metricsToken: settings.metricsToken, enabled: settings.metricsEnabled) {
            OrchestratorMetrics.record(await pool.counts())
        }.add(to: router)
        DrainRoutes(pool: pool).add(to: router)
        DashboardRoutes(pool: pool, links: links, library: LibraryIndex(roots: settings.mediaRoots)).add(to: router)
    }
}
