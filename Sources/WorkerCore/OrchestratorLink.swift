import CurlHTTP
import Foundation
import Logging
import TranscodeWire

/// The worker's side of seed section 1: registration, heartbeats, death note.
struct OrchestratorLink: Sendable {
    let baseURL: String
    let settings: WorkerSettings
    let manager: JobManager
    let telemetry: SystemTelemetry
    let logger: Logger
    /// The callback URL, known once the server listens.
    let address: @Sendable () async -> String
    let client = HTTPClient()

    init(baseURL: String, settings: WorkerSettings, manager: JobManager, logger: Logger, address: @escaping @Sendable () async -> String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.settings = settings
        self.manager = manager
        self.telemetry = SystemTelemetry()
        self.logger = logger
        self.address = address
    }

    var headers: [(String, String)] { BearerHeader.fields(settings.token) }

    /// Registers (retrying with backoff while the orchestrator is unreachable), then
    /// heartbeats every interval until cancelled; a 404 heartbeat registers again.
    func run() async {
        var registered = false
        var backoff = 0.25
        var stress = StressTracker()
        while !Task.isCancelled {
            if !registered {
                registered = await register()
                if !registered {
                    try? await Task.sleep(for: .seconds(min(backoff, settings.heartbeatInterval)))
                    backoff = min(backoff * 2, 10)
                    continue
                }
                backoff = 0.25
            }
            try? await Task.sleep(for: .seconds(settings.heartbeatInterval))
            guard !Task.isCancelled else { break }
            let beat = await heartbeat(&stress)
            do {
                let response = try await client.sendJSON("POST", "\(baseURL)/v1/workers/\(settings.id)/heartbeats", beat, headers: headers, timeout: .seconds(5))
                if response.status == 404 {
                    logger.notice("orchestrator does not know this worker (restarted?): registering again")
                    registered = false
                } else if response.status >= 300 {
                    logger.warning("heartbeat answered \(response.status): \(response.text)")
                }
            } catch {
                logger.warning("heartbeat failed: \(error)")
            }
        }
    }

    /// One registration attempt.
    func register() async -> Bool {
        let selector = manager.selector
        let cpu = selector.inventory.cpu
        var limits: [String: Int] = [:]
        for backend in selector.available { if let capacity = backend.sessionCapacity { limits[backend.sessionPool] = capacity } }
        let registration = Registration(
            id: settings.id,
            staticSpecs: StaticSpecs(
                cpuModel: cpu.model, totalThreads: cpu.threads, hardwareAcceleration: selector.hardwareAPIs,
                encoders: selector.encoders, sessionLimits: limits.isEmpty ? nil : limits,
                backends: selector.all.map {
                    BackendSummary(
                        id: $0.backend.id, available: $0.availability.isAvailable, reason: $0.availability.reason,
                        encoders: selector.usableEncoders(of: $0.backend), features: $0.backend.pictureFeatures.wireNames
                    )
                },
                pathMaps: settings.pathMaps.isEmpty ? nil : settings.pathMaps
            ),
            address: await address(),
            maxJobs: settings.maxJobs,
            segmentSeconds: settings.segmentSeconds,
            jobs: await manager.allStatuses().filter { $0.state.isActive }.map(WorkerJob.init)
        )
        do {
            let response = try await client.sendJSON("POST", "\(baseURL)/v1/workers", registration, headers: headers, timeout: .seconds(5))
            guard (200..<300).contains(response.status) else {
                logger.warning("registration refused (\(response.status)): \(response.text)")
                return false
            }
            logger.info("registered with \(baseURL) as \(settings.id)")
            return true
        } catch {
            logger.warning("orchestrator unreachable, will retry: \(error)")
            return false
        }
    }

    /// The heartbeat to send now.
    func heartbeat(_ stress: inout StressTracker) async -> Heartbeat {
        let jobs = await manager.allStatuses()
        let active = jobs.filter { $0.state.isActive }
        let gpu = manager.selector.gpuReading()
        let sample = telemetry.sample(gpuUsage: gpu?.usage, gpuTemp: gpu?.temperature)
        let status: WorkerStatus
        if manager.selector.available.isEmpty || jobs.contains(where: { $0.state == .failed }) {
            status = .error
        } else if stress.isStressed(sample, totalMemory: SystemTelemetry.memTotal()) {
            status = .stressed
        } else {
            status = active.isEmpty ? .idle : .busy
        }
        let context = active.first.map {
            JobContext(activeJobID: $0.jobID, progress: $0.progress, speed: $0.speed, lastSegmentID: $0.lastSegmentID)
        }
        return Heartbeat(status: status, telemetry: sample, jobContext: context, jobs: jobs.map(WorkerJob.init))
    }

    /// Tells the orchestrator this worker is gone.
    func sendDeathNote(reason: String) async {
        do {
            let response = try await client.sendJSON(
                "PATCH", "\(baseURL)/v1/workers/\(settings.id)", DeathNote(reason: reason), headers: headers, timeout: .seconds(3)
            )
            logger.info("death note sent (\(reason)): \(response.status)")
        } catch {
            logger.warning("death note not delivered: \(error)")
        }
    }
}

/// STRESSED thresholds: CPU at or above 95 % on two heartbeats in a row, less than 5 % of
/// memory available, or a temperature of 90 °C or more.
struct StressTracker: Sendable {
    static let cpuPercent = 95.0
    static let freeMemoryShare = 0.05
    static let temperature = 90.0
    private var hotCPUBeats = 0

    mutating func isStressed(_ t: Telemetry, totalMemory: Int64?) -> Bool {
        hotCPUBeats = (t.cpuUsage ?? 0) >= Self.cpuPercent ? hotCPUBeats + 1 : 0
        let lowMemory = t.ramFreeBytes.flatMap { free in totalMemory.map { Double(free) < Double($0) * Self.freeMemoryShare } } ?? false
        let hot = (t.tempC ?? 0) >= Self.temperature || (t.gpuTempC ?? 0) >= Self.temperature
        return hotCPUBeats >= 2 || lowMemory || hot
    }
}
