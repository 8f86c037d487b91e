import Foundation
import Hummingbird
import ServiceSupport
import TranscodeWire

/// Absolute, signed playback URLs: what `playlist_url` says and what the stable playlist
/// puts after each segment name. The pool's token never goes into them.
struct PlaybackLinks: Sendable {
    let publicURL: String?
    let ttl: Int
    let signer: PlaybackSigner?

    init(settings: OrchestratorSettings) {
        publicURL = settings.publicURL
        ttl = settings.playbackTTL
        signer = PlaybackSigner(poolToken: settings.token)
    }

    /// `--public-url`, else `http://<Host>` of the request.
    func base(for request: Request) -> String {
        if let publicURL { return publicURL }
        // The Host a client sent comes back only in its own reply, but keep it to host[:port].
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        let host = request.head.authority.flatMap { $0.isEmpty || $0.count > 255 || !$0.allSatisfy(allowed.contains) ? nil : $0 }
        return "http://\(host ?? "127.0.0.1")"
    }

    /// A fresh `sig` for the job, nil without auth.
    func signature(for jobID: String) -> String? {
        signer?.token(jobID: jobID, expires: Int(Date().timeIntervalSince1970) + ttl)
    }

    /// The query that opens the job's HLS reads (`?sig=...`), or "" without auth.
    static func query(_ sig: String?) -> String {
        guard let sig else { return "" }
        return "?\(PlaybackSigner.queryName)=\(sig.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? sig)"
    }

    /// The absolute, signed URL of the job's stable playlist.
    func playlistURL(jobID: String, request: Request) -> String {
        base(for: request) + "/v1/jobs/\(jobID)/hls/index.m3u8" + Self.query(signature(for: jobID))
    }

    /// The absolute, signed URL of the job's master playlist (video and subtitle rendition).
    func masterURL(jobID: String, request: Request) -> String {
        base(for: request) + "/v1/jobs/\(jobID)/hls/\(SubtitleName.master)" + Self.query(signature(for: jobID))
    }

    /// A job as clients see it, with its signed playlist and master URLs.
    func view(_ record: JobRecord, request: Request) -> JobView {
        JobView(record, playlistURL: playlistURL(jobID: record.jobID, request: request), masterURL: masterURL(jobID: record.jobID, request: request))
    }
}
