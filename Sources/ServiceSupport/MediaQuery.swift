import Hummingbird

/// The `?path=` of a media request (`GET /v1/media/tracks?path=/movies/film.mkv`).
public enum MediaQuery {
    /// The decoded `path` parameter; 400 when it is missing or empty.
    public static func path(_ request: Request) throws -> String {
        guard let path = request.uri.queryParameters["path"].map(String.init), !path.isEmpty else {
            throw APIError.badRequest("Name the source file with ?path=<absolute path>.")
        }
        return path
    }
}
