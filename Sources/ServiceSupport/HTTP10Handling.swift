import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// HTTP/1.0 handled properly: the router speaks swift-http-types, which carry no version, so
/// an HTTP/1.0 client got an HTTP/1.1 answer on a connection left open. This handler sits
/// where the version is still known: it answers in the request's version and, unless the
/// client asked to keep the connection, says `Connection: close` and closes it.
final class HTTP10Handler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Versions and keep-alive of the requests whose responses are still to come, in order.
    private var pending: [(version: HTTPVersion, keepAlive: Bool)] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            pending.append((head.version, head.isKeepAlive))
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard let request = pending.first, request.version.major == 1, request.version.minor == 0 else {
            if case .end = unwrapOutboundIn(data), !pending.isEmpty { pending.removeFirst() }
            context.write(data, promise: promise)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(var head):
            head.version = request.version
            if !request.keepAlive { head.headers.replaceOrAdd(name: "connection", value: "close") }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            pending.removeFirst()
            guard !request.keepAlive else {
                context.write(data, promise: promise)
                return
            }
            let written = promise ?? context.eventLoop.makePromise()
            context.writeAndFlush(data, promise: written)
            written.futureResult.whenComplete { _ in context.close(promise: nil) }
        }
    }
}

/// `HTTP1Channel` with `HTTP10Handler` in front of its conversion to swift-http-types, and
/// then the fast route's handler when there is one.
struct HTTP1ChannelWithVersions: ServerChildChannel {
    let inner: HTTP1Channel
    var fastRoute: (any FastRoute)?
    var serverName: String?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { [fastRoute, serverName] value in
            let codec = try channel.pipeline.syncOperations.context(handlerType: HTTP1ToHTTPServerCodec.self)
            try channel.pipeline.syncOperations.addHandler(HTTP10Handler(), position: .before(codec.handler))
            if let fastRoute {
                try channel.pipeline.syncOperations.addHandler(
                    FastPathHandler(route: fastRoute, serverName: serverName), position: .before(codec.handler)
                )
            }
            return value
        }
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
