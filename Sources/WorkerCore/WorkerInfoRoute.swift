import Hummingbird
import ServiceSupport
import TranscodeBackend

/// `GET /v1/worker`: what this worker is and why each backend is or is not offered.
struct WorkerInfoRoute {
    let selector: BackendSelector
    let settings: WorkerSettings

    struct Info: Codable, Sendable {
        struct Backend: Codable, Sendable {
            var id: String
            var available: Bool
            var reason: String
            var encoders: [String]
            var disabledEncoders: [String: String]
            /// `tone_map`, `burn_in_text`, `burn_in_bitmap`: picture work it takes.
            var features: [String]

            enum CodingKeys: String, CodingKey {
                case id, available, reason, encoders, features
                case disabledEncoders = "disabled_encoders"
            }
        }
        var id: String
        var encoders: [String]
        var hardwareAcceleration: [String]
        var maxJobs: Int
        var segmentSeconds: Int
        var backends: [Backend]
        var inventory: HardwareInventory
        /// `--path-map` translations, empty when none.
        var pathMaps: [PathMapping]

        enum CodingKeys: String, CodingKey {
            case id, encoders, backends, inventory
            case pathMaps = "path_maps"
            case hardwareAcceleration = "hardware_acceleration"
            case maxJobs = "max_jobs"
            case segmentSeconds = "segment_seconds"
        }
    }

    func add(to router: Router<BasicRequestContext>) {
        let info = Info(
            id: settings.id, encoders: selector.encoders, hardwareAcceleration: selector.hardwareAPIs,
            maxJobs: settings.maxJobs, segmentSeconds: settings.segmentSeconds,
            backends: selector.all.map { backend, availability in
                Info.Backend(
                    id: backend.id, available: availability.isAvailable, reason: availability.reason,
                    encoders: selector.usableEncoders(of: backend),
                    disabledEncoders: selector.disabledEncoders.filter { $0.key.hasPrefix(backend.id + "/") },
                    features: backend.pictureFeatures.wireNames
                )
            },
            inventory: selector.inventory,
            pathMaps: settings.pathMaps
        )
        router.get("/v1/worker") { _, _ in try JSON.response(info) }
    }
}
