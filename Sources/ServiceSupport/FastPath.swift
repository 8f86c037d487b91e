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
    /// The response status (no body) when the route takes the request, nil to hand it back.
    func answer(_ head: HTTPRequestHead, body: ByteBuffer) async -> HTTPResponseStatus?
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
            let route = route
            let promise = context.eventLoop.makePromise(of: HTTPResponseStatus?.self)
            promise.completeWithTask { await route.answer(request.head, body: request.body) }
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            promise.futureResult.whenSuccess { status in
                let (handler, context) = bound.value
                if let status {
                    handler.respond(context: context, status: status, version: request.head.version)
                } else {
                    context.fireChannelRead(handler.wrapInboundOut(.head(request.head)))
                    if request.body.readableBytes > 0 { context.fireChannelRead(handler.wrapInboundOut(.body(request.body))) }
                    context.fireChannelRead(handler.wrapInboundOut(.end(trailers)))
                    context.fireChannelReadComplete()
                }
            }
        }
    }

    private func respond(context: ChannelHandlerContext, status: HTTPResponseStatus, version: HTTPVersion) {
        var headers = HTTPHeaders()
        if let serverName { headers.add(name: "server", value: serverName) }
        if status != .noContent && status != .notModified { headers.add(name: "content-length", value: "0") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
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
