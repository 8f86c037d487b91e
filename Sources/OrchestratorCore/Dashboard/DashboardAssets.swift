import Hummingbird

/// The dashboard's static files, compiled into the binary: no build step, no CDN. They hold
/// no data, so they are served without a token; the page asks for the token once and sends
/// it with every data request.
struct DashboardAsset: Sendable {
    var path: String
    var contentType: String
    var body: String

    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// The list of the dashboard's static files.
enum DashboardAssets {
    /// Every static path (the auth middleware's public list names the same ones).
    static let all: [DashboardAsset] = [
        DashboardAsset(path: "/", contentType: "text/html; charset=utf-8", body: DashboardPage.html),
        DashboardAsset(path: "/dashboard/app.css", contentType: "text/css; charset=utf-8", body: DashboardStyle.css),
        DashboardAsset(path: "/dashboard/app.js", contentType: "text/javascript; charset=utf-8", body: DashboardScript.js),
    ]
}
