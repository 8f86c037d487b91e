import MediaProbe
import ServiceSupport
import TranscodeWire

extension JobManager {
    /// `GET /v1/media/tracks`: every stream of a source, under the same confinement and with
    /// the same errors as a job's `source_path`.
    public func tracks(of path: String) async throws -> MediaTracks {
        let source = try policy.source(path)
        do {
            return try await probe(source).listing(path: path)
        } catch {
            throw APIError.unprocessable("FFmpeg cannot read the source '\(source)': \(error)")
        }
    }
}
