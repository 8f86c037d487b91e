/// The URL a player opens, from the job's `playlist_url`.
enum PlaybackURL {
    /// An absolute `playlist_url` (signed per job) is used as it is. A relative one (a path
    /// on the orchestrator, before signed URLs) is resolved against `base` and given the
    /// `?token=` that its HLS routes accept.
    static func resolve(_ playlist: String, base: String, token: String) -> String {
        if playlist.hasPrefix("http://") || playlist.hasPrefix("https://") { return playlist }
        let separator = playlist.contains("?") ? "&" : "?"
        return base + playlist + separator + "token=" + token
    }
}
