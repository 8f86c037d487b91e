import Foundation
import Hummingbird
import NIOCore
import ServiceSupport

/// The dashboard: its static page (no token: it holds no data) and the data it reads with the
/// token: a snapshot, a live feed of snapshots, and the library.
struct DashboardRoutes {
    let pool: Pool
    let links: PlaybackLinks
    let library: LibraryIndex

    /// How often the feed looks for a change; a change shows within this much of reaching the pool.
    static let pollInterval = Duration.milliseconds(100)
    /// A feed ends after this long and the page reconnects, so a shutdown never waits on it.
    static let feedLifetime = Duration.seconds(30)
    /// A snapshot goes out at least this often even without a change (heartbeat ages move);
    /// less often when one takes more than a 20th of it to make (a pool of thousands).
    static let keepAlive = Duration.seconds(5)

    func add(to router: Router<OrchestratorContext>) {
        for asset in DashboardAssets.all {
            router.get(RouterPath(stringLiteral: asset.path)) { _, _ in asset.response() }
        }
        router.get("/v1/dashboard/snapshot") { request, _ in
            try JSON.response(await snapshot(request))
        }
        router.get("/v1/dashboard/events") { request, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                try await feed(request, into: &writer)
            })
        }
        router.get("/v1/library") { _, _ in
            try JSON.response(LibraryReply(roots: library.roots, files: library.entries()))
        }
    }

    /// Built in the calling task from state the pool shares: the pool itself only hands it out.
    private func snapshot(_ request: Request) async -> DashboardSnapshot {
        let links = links
        return DashboardSnapshot(await pool.dashboardState()) { links.view($0, request: request) }
    }

    /// Makes and encodes snapshots off the cooperative pool and below the event loops'
    /// priority: a 10,000-worker snapshot takes long enough that, at their priority (two
    /// threads on two cores), heartbeats waited for it.
    private static let encoding = BackgroundThread()

    /// The snapshot as JSON, made on `encoding` from the state the pool shares.
    private func encodedSnapshot(_ request: Request) async throws -> String {
        let state = await pool.dashboardState()
        let links = links
        return try await withCheckedThrowingContinuation { continuation in
            Self.encoding.async {
                continuation.resume(with: Result {
                    let snapshot = DashboardSnapshot(state) { links.view($0, request: request) }
                    return String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
                })
            }
        }
    }

    /// Server-Sent Events: one `snapshot` event now, then one on every change, and one every
    /// `keepAlive` for the heartbeat ages and telemetry. A change is a new pool revision (one
    /// number, read every `pollInterval`), so the feed's work grows neither with the
    /// heartbeats nor, between changes, with the pool; a snapshot that took long to make
    /// spaces the next ones out (at most half the time goes to them, and a change waits at most
    /// about twice what a snapshot takes).
    private func feed(_ request: Request, into writer: inout any ResponseBodyWriter) async throws {
        let end = ContinuousClock.now + Self.feedLifetime
        var last: UInt64?
        var sentAt = ContinuousClock.now - Self.keepAlive
        var pause = Self.pollInterval
        var keepAlive = Self.keepAlive
        while ContinuousClock.now < end && !Task.isCancelled {
            let revision = await pool.dashboardRevision()
            if revision != last || ContinuousClock.now - sentAt >= keepAlive {
                let started = ContinuousClock.now
                let json = try await encodedSnapshot(request)
                try await writer.write(ByteBuffer(string: "event: snapshot\ndata: \(json)\n\n"))
                last = revision
                sentAt = .now
                let cost = ContinuousClock.now - started
                pause = max(Self.pollInterval, cost)
                // Keep-alives of a big pool's snapshot take at most about 5 % of a core.
                keepAlive = max(Self.keepAlive, cost * 20)
            }
            try await Task.sleep(for: pause)
        }
        try await writer.finish(nil)
    }
}

/// `GET /v1/library`: the roots and the files under them.
struct LibraryReply: Encodable, Sendable {
    var roots: [String]
    var files: [LibraryIndex.Entry]
}
