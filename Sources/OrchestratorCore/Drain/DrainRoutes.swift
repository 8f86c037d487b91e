import Hummingbird
import ServiceSupport

/// `POST`/`DELETE /v1/workers/{id}/drain`: start or end a drain. The reply is the worker,
/// with `draining` (and `drained` once it is empty). The jobs move within a second
/// (`LivenessMonitor` runs the moves), not in this request.
struct DrainRoutes {
    let pool: Pool

    func add(to router: Router<OrchestratorContext>) {
        router.post("/v1/workers/:id/drain") { _, context in
            try JSON.response(try await pool.setDraining(context.parameters.require("id"), true))
        }
        router.delete("/v1/workers/:id/drain") { _, context in
            try JSON.response(try await pool.setDraining(context.parameters.require("id"), false))
        }
    }
}
