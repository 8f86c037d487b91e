import Hummingbird
import NIOCore
import NIOHTTP1

/// A route answered right in the channel pipeline, before the router: for the one request
/// a big pool sends thousands of times a second (the orchestrator's heartbeats). The route
/// answers only requests it fully accepts; any other (a wrong token, a bad body, an unknown
/// id, an odd spelling) it hands back, and the request goes the normal way through the
/// middleware and the router, which answer it as they always have. So the fast path can
/// never answer differently from the router: it can only answer sooner.
public protocol FastRoute: Sendable {
    /// Whether to hold this request for `answer` (checked on the head alone).
    func matches(_ head: HTTPRequestHead) -> Bool
    /// What to do with a held request. Called on the channel's event loop: what needs no
    /// other thread (the token, the body) can be decided right there, and a route that must
    /// reach state elsewhere can gather many requests into one hop (`.later`).
    func answer(_ head: HTTPRequestHead, body: ByteBuffer, on eventLoop: any EventLoop) -> FastAnswer
}

/// A `FastRoute`'s decision on one request.
public enum FastAnswer: Sendable {
    /// Answer now with this status (no body).
    case now(HTTPResponseStatus)
    /// Hand the request back to the router, which answers it.
    case handBack
    /// Decided elsewhere: the status, or nil to hand it back.
    case later(EventLoopFuture<HTTPResponseStatus?>)
}

/// Holds the requests a `FastRoute` matches, asks it, and answers or passes them on.
/// `HTTPServerPipelineHandler` (before it) lets one request at a time through, so a held
/// request never overtakes another on its connection.
final class FastPathHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// A body past this size goes the normal way (the router's own limit applies there).
    static let maxBody = 64 * 1024

    private let route: any FastRoute
    private let serverName: String?
    private var held: (head: HTTPRequestHead, body: ByteBuffer)?
    /// The 204 head, once made.
    private var noContentHead: HTTPResponseHead?

    init(route: any FastRoute, serverName: String?) {
        self.route = route
        self.serverName = serverName
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard held == nil, route.matches(head) else { return context.fireChannelRead(data) }
            held = (head, context.channel.allocator.buffer(capacity: 256))
        case .body(var chunk):
            guard var request = held else { return context.fireChannelRead(data) }
            guard request.body.readableBytes + chunk.readableBytes <= Self.maxBody else {
                // Too big to hold: from here on the router reads it.
                held = nil
                context.fireChannelRead(wrapInboundOut(.head(request.head)))
                context.fireChannelRead(wrapInboundOut(.body(request.body)))
                return context.fireChannelRead(data)
            }
            held = nil  // so that the write below appends in place
            request.body.writeBuffer(&chunk)
            held = request
        case .end(let trailers):
            guard let request = held else { return context.fireChannelRead(data) }
            held = nil
            switch route.answer(request.head, body: request.body, on: context.eventLoop) {
            case .now(let status):
                respond(context: context, status: status, version: request.head.version)
            case .handBack:
                handBack(request, trailers: trailers, context: context)
            case .later(let decided):
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                decided.whenSuccess { status in
                    let (handler, context) = bound.value
                    if let status {
                        handler.respond(context: context, status: status, version: request.head.version)
                    } else {
                        handler.handBack(request, trailers: trailers, context: context)
                    }
                }
            }
        }
    }

    /// Passes a held request on, as it came.
    private func handBack(_ request: (head: HTTPRequestHead, body: ByteBuffer), trailers: HTTPHeaders?, context: ChannelHandlerContext) {
        context.fireChannelRead(wrapInboundOut(.head(request.head)))
        if request.body.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(.body(request.body))) }
        context.fireChannelRead(wrapInboundOut(.end(trailers)))
        context.fireChannelReadComplete()
    }

    private func respond(context: ChannelHandlerContext, status: HTTPResponseStatus, version: HTTPVersion) {
        // The common answer's head is made once per connection and reused.
        let head: HTTPResponseHead
        if status == .noContent, version == .http1_1 {
            if noContentHead == nil { noContentHead = makeHead(status: status, version: version) }
            head = noContentHead ?? makeHead(status: status, version: version)
        } else {
            head = makeHead(status: status, version: version)
        }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func makeHead(status: HTTPResponseStatus, version: HTTPVersion) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        if let serverName { headers.add(name: "server", value: serverName) }
        if status != .noContent && status != .notModified { headers.add(name: "content-length", value: "0") }
        return HTTPResponseHead(version: version, status: status, headers: headers)
    }
}

/// The bearer check of `BearerAuthMiddleware`, for a `FastRoute`.
public enum BearerCheck {
    /// Whether an `Authorization` header value presents `token`.
    public static func accepts(_ value: String, token: String) -> Bool {
        guard let presented = BearerAuthMiddleware<BasicRequestContext>.bearer(value) else { return false }
        return BearerAuthMiddleware<BasicRequestContext>.constantTimeEquals(presented, token)
    }
}
